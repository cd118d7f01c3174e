/** `slipway prune [--dry-run]`: what retention allows to go, gone (or listed). */
import { describePrune, prune } from "../../app/prune.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";

const REGISTRY_VERBS = {
  planned: "would delete from the registry",
  deleted: "deleted from the registry",
  absent: "deleted from the registry (already gone there)",
  shared: "kept in the registry (a kept release names its image)",
  "not-allowed": "left in the registry (it does not allow deletion)",
  failed: "could not delete from the registry",
} as const;

export async function runPrune(ctx: CommandContext, flags: ProjectFlags & { dryRun?: boolean; json?: boolean }): Promise<number> {
  const { report, retain } = await prune(ctx.app, { ...projectOf(ctx, flags), dryRun: flags.dryRun ?? false });
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const verb = flags.dryRun ? "would remove" : "removed";
  const lines = [
    ...report.images.map((i) => `${verb} image ${i.tag}`),
    ...report.projects.map((p) => `${verb} stopped project ${p}`),
    ...report.buildDirs.map((d) => `${verb} ${d}`),
    ...report.registryTags.map((t) => `${REGISTRY_VERBS[t.outcome]} ${t.reference}${t.detail ? ` (${t.detail})` : ""}`),
    `${describePrune(report, flags.dryRun)}; kept the builds ${report.keptTags.join(", ") || "(none)"} (retain: ${retain})`,
  ];
  ctx.io.stdout(`${lines.join("\n")}\n`);
  return 0;
}
