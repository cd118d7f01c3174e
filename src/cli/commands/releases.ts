/** `slipway releases`: number, commit, who, when, duration, outcome. */
import type { CommandContext } from "../context.js";
import { plainSnapshotOf } from "../../pipeline/release-snapshot.js";
import type { ReleaseWithDeployment } from "../../store/store.js";
import { ago, openEnvironment, table, type OpenEnvironment } from "./environment.js";
import { missingImages } from "./rollback.js";
import type { ProjectFlags } from "./load.js";

export async function runReleases(ctx: CommandContext, flags: ProjectFlags & { json?: boolean }): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const releases = await env.runtime.deps.store.releases(env.environmentId);
  if (flags.json) {
    // The sealed part stays in the store: it is of no use to a reader without the key.
    ctx.io.stdout(`${JSON.stringify(releases.map(({ sealed: _sealed, ...release }) => release), null, 2)}\n`);
    return 0;
  }
  if (releases.length === 0) {
    ctx.io.stdout(`no releases of ${env.project.name} in ${env.project.environment.name} yet: run slipway deploy\n`);
    return 0;
  }
  const rollbackable = await Promise.all(releases.map((r) => canRollBackTo(env, r)));
  const rows = releases.map((r, i) => {
    const duration = r.deployment?.finishedAt ? `${((r.deployment.finishedAt.getTime() - r.deployment.startedAt.getTime()) / 1000).toFixed(1)}s` : "-";
    const of = (r.config as { of?: string } | undefined)?.of;
    const kind = of ? (r.kind === "rollback" ? `rollback to ${of}` : `${r.kind} of ${of}`) : r.kind;
    return [`v${r.number}`, r.commit.slice(0, 12), imagesOf(r), kind, variablesOf(r, releases[i + 1]), r.deployment?.actor ?? "-", ago(r.createdAt), duration, r.status, rollbackable[i] ?? "-"];
  });
  ctx.io.stdout(table([["RELEASE", "COMMIT", "IMAGES", "KIND", "VARIABLES", "BY", "WHEN", "TOOK", "STATUS", "ROLLBACK"], ...rows]));
  return 0;
}

/** Each service's image id, short: `backend@1a2b3c4d5e6f`. */
export function imagesOf(release: Pick<ReleaseWithDeployment, "images">): string {
  const entries = Object.entries(release.images).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([service, image]) => `${service}@${image.id.replace(/^sha256:/, "").slice(0, 12)}`).join(",") : "-";
}

/**
 * The store's version of the variables a release ran with, and "changed" when what its containers
 * got differs from the release before it (any source: the store, a provider, the compose files).
 */
export function variablesOf(release: Pick<ReleaseWithDeployment, "variables">, before: Pick<ReleaseWithDeployment, "variables"> | undefined): string {
  const version = release.variables ? (release.variables.version === null ? "none" : `v${release.variables.version}`) : "-";
  const changed = release.variables && before?.variables && release.variables.digest !== before.variables.digest;
  return changed ? `${version} (changed)` : version;
}

/** "yes" when a rollback to it can run now (it went live and its images are all here), "-" for the live one. */
async function canRollBackTo(env: OpenEnvironment, release: ReleaseWithDeployment): Promise<string> {
  if (release.status === "live") return "-";
  if (release.status === "failed" || release.status === "pending") return "no";
  const snapshot = plainSnapshotOf(release);
  if (!snapshot || (release.sealed === undefined && !(release.config as { model?: unknown }).model)) return "no";
  const gone = await missingImages(env.runtime.deps.engine, env.project.name, snapshot.classification, snapshot.tag);
  return gone.length === 0 ? "yes" : "no (pruned)";
}
