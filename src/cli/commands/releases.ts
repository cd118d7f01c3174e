/** `slipway releases`: number, commit, who, when, duration, outcome. */
import type { CommandContext } from "../context.js";
import { ago, openEnvironment, table } from "./environment.js";
import type { ProjectFlags } from "./load.js";

export async function runReleases(ctx: CommandContext, flags: ProjectFlags & { json?: boolean }): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const releases = await env.runtime.deps.store.releases(env.environmentId);
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify(releases, null, 2)}\n`);
    return 0;
  }
  if (releases.length === 0) {
    ctx.io.stdout(`no releases of ${env.project.name} in ${env.project.environment.name} yet: run slipway deploy\n`);
    return 0;
  }
  const rows = releases.map((r) => {
    const duration = r.deployment?.finishedAt ? `${((r.deployment.finishedAt.getTime() - r.deployment.startedAt.getTime()) / 1000).toFixed(1)}s` : "-";
    const of = (r.config as { of?: string } | undefined)?.of;
    const kind = of ? (r.kind === "rollback" ? `rollback to ${of}` : `${r.kind} of ${of}`) : r.kind;
    return [`v${r.number}`, r.commit.slice(0, 12), kind, r.deployment?.actor ?? "-", ago(r.createdAt), duration, r.status];
  });
  ctx.io.stdout(table([["RELEASE", "COMMIT", "KIND", "BY", "WHEN", "TOOK", "STATUS"], ...rows]));
  return 0;
}
