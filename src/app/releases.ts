/** Releases: an environment's history, and which of them a rollback can still return to. */
import type { Engine } from "../adapters/docker-engine.js";
import { plainSnapshotOf } from "../pipeline/release-snapshot.js";
import type { ReleaseWithDeployment } from "../store/store.js";
import type { App } from "./app.js";
import { openEnvironment, type ProjectRequest } from "./project.js";
import { missingImages } from "./rollback-target.js";

/** "yes", "no", "no (pruned)", or "-" for the live release. */
export type Rollbackable = "yes" | "no" | "no (pruned)" | "-";

export interface ReleaseHistory {
  readonly project: string;
  readonly environment: string;
  /** Newest first; the sealed part stays in the store: it is of no use to a reader without the key. */
  readonly releases: ReadonlyArray<Omit<ReleaseWithDeployment, "sealed">>;
  /** Beside each release, whether a rollback to it can run now (only when asked for). */
  readonly rollbackable?: readonly Rollbackable[];
  /** With a limit: the newest release left out, if any (what the last one shown followed). */
  readonly older?: Omit<ReleaseWithDeployment, "sealed">;
}

/** "yes" when a rollback to it can run now (it went live and its images are all here), "-" for the live one. */
export async function canRollBackTo(engine: Engine, project: string, release: ReleaseWithDeployment): Promise<Rollbackable> {
  if (release.status === "live") return "-";
  if (release.status === "failed" || release.status === "pending") return "no";
  const snapshot = plainSnapshotOf(release);
  if (!snapshot || (release.sealed === undefined && !(release.config as { model?: unknown }).model)) return "no";
  const gone = await missingImages(engine, project, snapshot.classification, snapshot.tag);
  return gone.length === 0 ? "yes" : "no (pruned)";
}

/** The newest `limit` releases (default: every one), newest first. */
export async function releases(app: App, request: ProjectRequest & { rollbackable?: boolean; limit?: number }): Promise<ReleaseHistory> {
  // Neither reads the working tree: what is live and what was, not what HEAD would build.
  const env = await openEnvironment(app, request, { withoutCommit: true });
  const { store } = await app.deps();
  const { limit } = request;
  // One more than asked: whether there are older ones, and what the last one shown followed.
  const read = await store.releases(env.environmentId, limit === undefined ? {} : { limit: limit + 1 });
  const rows = limit === undefined ? read : read.slice(0, limit);
  const older = limit === undefined ? undefined : read[limit];
  const rollbackable = request.rollbackable ? await Promise.all(rows.map((r) => canRollBackTo(app.engine, env.project.name, r))) : undefined;
  const unsealed = ({ sealed: _sealed, ...release }: ReleaseWithDeployment): Omit<ReleaseWithDeployment, "sealed"> => release;
  return {
    project: env.project.name,
    environment: env.project.environment.name,
    releases: rows.map(unsealed),
    ...(rollbackable ? { rollbackable } : {}),
    ...(older ? { older: unsealed(older) } : {}),
  };
}
