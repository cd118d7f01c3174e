/** `slipway releases`: number, commit, images, kind, variables, who, when, duration, outcome, rollback. */
import { SlipwayError } from "../../app/errors.js";
import { releases, type ReleaseHistory } from "../../app/releases.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { ago, table } from "../render.js";

type Release = ReleaseHistory["releases"][number];

/** Each service's image id, short: `backend@1a2b3c4d5e6f`. */
export function imagesOf(release: Pick<Release, "images">): string {
  const entries = Object.entries(release.images).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([service, image]) => `${service}@${image.id.replace(/^sha256:/, "").slice(0, 12)}`).join(",") : "-";
}

/**
 * The store's version of the variables a release ran with, and "changed" when what its containers
 * got differs from the release before it (any source: the store, a provider, the compose files).
 */
export function variablesOf(release: Pick<Release, "variables">, before: Pick<Release, "variables"> | undefined): string {
  const version = release.variables ? (release.variables.version === null ? "none" : `v${release.variables.version}`) : "-";
  const changed = release.variables && before?.variables && release.variables.digest !== before.variables.digest;
  return changed ? `${version} (changed)` : version;
}

export function renderReleases(history: ReleaseHistory): string {
  const rows = history.releases.map((r, i) => {
    const duration = r.deployment?.finishedAt ? `${((r.deployment.finishedAt.getTime() - r.deployment.startedAt.getTime()) / 1000).toFixed(1)}s` : "-";
    const of = (r.config as { of?: string } | undefined)?.of;
    const kind = of ? (r.kind === "rollback" ? `rollback to ${of}` : `${r.kind} of ${of}`) : r.kind;
    return [`v${r.number}`, r.commit.slice(0, 12), imagesOf(r), kind, variablesOf(r, history.releases[i + 1] ?? history.older), r.deployment?.actor ?? "-", ago(r.createdAt), duration, r.status, history.rollbackable?.[i] ?? "-"];
  });
  const more = history.older ? `older releases, from v${history.older.number} down, not shown: --limit N or --all\n` : "";
  return `${table([["RELEASE", "COMMIT", "IMAGES", "KIND", "VARIABLES", "BY", "WHEN", "TOOK", "STATUS", "ROLLBACK"], ...rows])}${more}`;
}

/** The table shows the newest releases unless told otherwise; --json lists every one unless --limit. */
export const DEFAULT_RELEASES_SHOWN = 20;

export interface ReleasesFlags extends ProjectFlags {
  readonly json?: boolean;
  readonly limit?: string;
  readonly all?: boolean;
}

function limitOf(flags: ReleasesFlags): number | undefined {
  if (flags.all) return undefined;
  if (flags.limit === undefined) return flags.json ? undefined : DEFAULT_RELEASES_SHOWN;
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new SlipwayError("E_USAGE", `--limit ${flags.limit}: give a whole number of releases, 1 or more (or --all)`);
  return limit;
}

export async function runReleases(ctx: CommandContext, flags: ReleasesFlags): Promise<number> {
  const limit = limitOf(flags);
  const history = await releases(ctx.app, { ...projectOf(ctx, flags), rollbackable: !flags.json, ...(limit === undefined ? {} : { limit }) });
  if (flags.json) ctx.io.stdout(`${JSON.stringify(history.releases, null, 2)}\n`);
  else if (history.releases.length === 0) ctx.io.stdout(`no releases of ${history.project} in ${history.environment} yet: run slipway deploy\n`);
  else ctx.io.stdout(renderReleases(history));
  return 0;
}
