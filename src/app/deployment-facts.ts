/**
 * What the reports of a deployment say about it, read from the store once it is queued or has
 * ended: where it belongs, what it deployed, how it ended, where its release answers, and its
 * page in the web UI when the server's public URL is known (SLIPWAY_PUBLIC_URL).
 */
import { readRegistry } from "../pipeline/route-registry.js";
import type { DeploymentRow, DeploymentStatus } from "../store/store.js";
import { webPorts, type App } from "./app.js";

export interface DeploymentFacts {
  readonly deploymentId: number;
  readonly projectId: number;
  readonly project: string;
  readonly environment: string;
  readonly row: DeploymentRow;
  /** The full commit it deploys, when known: its row's, else a ref that is a full commit. */
  readonly commit?: string;
  /** "v3", once it made a release. */
  readonly release?: string;
  /** Where the environment answers, once it is live. */
  readonly urls: readonly string[];
  /** The deployment's page in the web UI. */
  readonly link?: string;
}

const FINAL: ReadonlySet<DeploymentStatus> = new Set(["succeeded", "failed", "cancelled", "interrupted", "superseded"]);

export function hasEnded(status: DeploymentStatus): boolean {
  return FINAL.has(status);
}

const FULL_COMMIT = /^[0-9a-f]{40}$/;

/** The web UI's page of a deployment (its route: web/src/route.ts), under the server's public URL. */
export function deploymentLink(publicUrl: string | undefined, deploymentId: number): string | undefined {
  if (!publicUrl) return undefined;
  return `${publicUrl.replace(/\/+$/, "")}/#/d/${deploymentId}`;
}

export async function deploymentFacts(app: App, deploymentId: number): Promise<DeploymentFacts | undefined> {
  const { store } = await app.deps();
  const [row, place] = await Promise.all([store.deployment(deploymentId), store.deploymentPlace(deploymentId)]);
  if (!row || !place) return undefined;
  const commit = row.commit ?? (FULL_COMMIT.test(row.ref) ? row.ref : undefined);
  const release = row.releaseId === undefined ? undefined : (await store.releases(row.environmentId, { limit: 10 })).find((r) => r.id === row.releaseId);
  const link = deploymentLink(app.env.SLIPWAY_PUBLIC_URL, deploymentId);
  return {
    deploymentId,
    projectId: place.projectId,
    project: place.project,
    environment: place.environment,
    row,
    ...(commit ? { commit } : {}),
    ...(release ? { release: `v${release.number}` } : {}),
    urls: row.status === "succeeded" ? environmentUrls(app, place.project, place.environment) : [],
    ...(link ? { link } : {}),
  };
}

/** As the pipeline says them at the switch: a host over HTTPS when it has a certificate, else the router's port. */
function environmentUrls(app: App, project: string, environment: string): string[] {
  const web = webPorts(app.env);
  const backends = Object.values(readRegistry(app.paths.router)).filter((b) => b.project === project && b.environment === environment);
  return backends.flatMap((b) => {
    const host = b.hosts[0];
    if (host === undefined) return [`http://127.0.0.1:${b.listen}/`];
    const [scheme, port, standard] = b.certificate ? ["https", web.https, 443] : ["http", web.http, 80];
    return [`${scheme}://${host}${port === standard ? "" : `:${port}`}/`];
  });
}
