/**
 * Global setup of the unit run: a throwaway PostgreSQL cluster for the store's suites, when
 * Debian's postgresql is installed (scripts/install-docker-debian.sh installs it). In CI its
 * absence is an error, not a silent skip. SLIPWAY_TEST_POSTGRES_URL names an existing server's
 * maintenance database instead.
 */
import type { TestProject } from "vitest/node";
import { postgresBinaries, startPostgresCluster } from "../../src/store/testing/postgres-cluster.js";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.SLIPWAY_TEST_POSTGRES_URL;
  if (given) {
    project.provide("postgresAdminUrl", given);
    return undefined;
  }
  if (!postgresBinaries()) {
    if (process.env.CI) throw new Error("PostgreSQL is not installed: the store's suites need it (apt-get install postgresql)");
    project.provide("postgresAdminUrl", "");
    return undefined;
  }
  const cluster = await startPostgresCluster();
  project.provide("postgresAdminUrl", cluster.adminUrl);
  return async () => {
    await cluster[Symbol.asyncDispose]();
  };
}
