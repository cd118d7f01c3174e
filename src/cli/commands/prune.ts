/** `slipway prune [--dry-run]`: what retention allows to go, gone (or listed). */
import { describePrune, prune } from "../../pipeline/prune.js";
import type { CommandContext } from "../context.js";
import { openEnvironment } from "./environment.js";
import type { ProjectFlags } from "./load.js";

export async function runPrune(ctx: CommandContext, flags: ProjectFlags & { dryRun?: boolean; json?: boolean }): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const report = await prune(env.runtime.deps, {
    projectId: env.projectId,
    project: env.project.name,
    dir: env.project.dir,
    retain: env.project.config.retain,
    ...(env.project.config.mirror_of ? { mirrorOf: env.project.config.mirror_of } : {}),
    dryRun: flags.dryRun ?? false,
  });
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const lines = [
    ...report.images.map((i) => `${flags.dryRun ? "would remove" : "removed"} image ${i.tag}`),
    ...report.projects.map((p) => `${flags.dryRun ? "would remove" : "removed"} stopped project ${p}`),
    ...report.buildDirs.map((d) => `${flags.dryRun ? "would remove" : "removed"} ${d}`),
    `${describePrune(report, flags.dryRun)}; kept the builds ${report.keptTags.join(", ") || "(none)"} (retain: ${env.project.config.retain})`,
  ];
  ctx.io.stdout(`${lines.join("\n")}\n`);
  return 0;
}
