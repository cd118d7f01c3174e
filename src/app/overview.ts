/**
 * Every environment the caller may see, in one read of the store and the route registry: its
 * live release, its newest deployment (with the step it is at) and where the router listens for
 * it. It is what a panel's first page shows, so it asks nothing of the engine or the router.
 */
import { readRegistry } from "../pipeline/route-registry.js";
import type { DeploymentRow, ReleaseWithDeployment, Store } from "../store/store.js";
import type { App } from "./app.js";
import type { Principal } from "./access.js";
import { visibleProjectRows } from "./registry.js";

export interface EnvironmentOverview {
  readonly project: string;
  readonly environment: string;
  readonly live: { readonly release: string; readonly number: number; readonly kind: string; readonly commit: string; readonly createdAt: Date; readonly actor?: string } | null;
  readonly latest: { readonly id: number; readonly kind: string; readonly ref: string; readonly status: DeploymentRow["status"]; readonly step?: string; readonly queuedAt: Date; readonly error?: string } | null;
  readonly routes: ReadonlyArray<{ readonly listen: number; readonly hosts: readonly string[] }>;
}

function liveOf(releases: readonly ReleaseWithDeployment[]): EnvironmentOverview["live"] {
  const live = releases.find((r) => r.status === "live");
  if (!live) return null;
  return { release: `v${live.number}`, number: live.number, kind: live.kind, commit: live.commit, createdAt: live.createdAt, ...(live.deployment ? { actor: live.deployment.actor } : {}) };
}

async function latestOf(store: Store, environmentId: number): Promise<EnvironmentOverview["latest"]> {
  const [row] = await store.recentDeployments(environmentId, 1);
  if (!row) return null;
  const step = row.status === "running" ? (await store.steps(row.id)).at(-1)?.name : undefined;
  return { id: row.id, kind: row.kind, ref: row.ref, status: row.status, queuedAt: row.startedAt, ...(step ? { step } : {}), ...(row.error ? { error: row.error } : {}) };
}

export async function overview(app: App, principal: Principal): Promise<EnvironmentOverview[]> {
  const { store, paths } = await app.deps();
  const registry = Object.values(readRegistry(paths.router));
  const projects = await visibleProjectRows(app, principal);
  const rows = await Promise.all(
    projects.map(async (project) => {
      const environments = await store.environments(project.id);
      return Promise.all(
        environments.map(async (env): Promise<EnvironmentOverview> => {
          const [releases, latest] = await Promise.all([store.releases(env.id), latestOf(store, env.id)]);
          const routes = registry.filter((b) => b.project === project.name && b.environment === env.name).map((b) => ({ listen: b.listen, hosts: b.hosts }));
          return { project: project.name, environment: env.name, live: liveOf(releases), latest, routes };
        }),
      );
    }),
  );
  return rows.flat();
}
