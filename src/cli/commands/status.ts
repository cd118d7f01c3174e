/** `slipway status`: the status report, as text or JSON. */
import { isHealthy, status, type StatusReport } from "../../app/status.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { ago } from "../render.js";

export function renderStatus(report: StatusReport): string {
  const { live } = report;
  const shown = live ? `v${live.number}${live.release === `v${live.number}` ? "" : ` (running as ${live.release})`}` : undefined;
  const lines = [`${report.project}, environment ${report.environment}`, `live: ${live ? `${shown}, released ${ago(live.createdAt)}` : "nothing deployed yet"}`];
  if (report.swarm) {
    lines.push(`nodes: ${report.swarm.nodes.map((n) => `${n.hostname} ${n.state}${n.availability === "active" ? "" : ` (${n.availability})`}`).join(", ")}`);
    lines.push("services:");
    for (const s of report.swarm.services) {
      const tasks = s.tasks.map((t) => `${t.node} ${t.state}${t.error ? ` (${t.error})` : ""}`).join(", ") || "no task";
      lines.push(`  ${s.name}  ${s.release}  ${s.tasks.filter((t) => t.state === "running").length}/${s.replicas}: ${tasks}`);
    }
    if (report.swarm.services.length === 0) lines.push("  none");
  } else lines.push("containers:");
  for (const c of report.containers) lines.push(`  ${c.name}  ${c.labels["slipway.role"] ?? "?"}  ${c.status}${c.health && c.status === "running" ? ` (${c.health})` : ""}`);
  if (report.containers.length === 0 && !report.swarm) lines.push("  none");
  for (const r of report.routes) {
    const served = (r.serving ?? []).map((s) => `${s.name} ${s.address} ${s.state}`).join(", ") || "no server";
    lines.push(`route: ${r.hosts.length ? r.hosts.join(",") : `:${r.listen}`} -> ${served}`);
  }
  for (const d of report.interrupted) lines.push(`interrupted: deployment ${d.id} (${d.kind} of ${d.ref})${d.error ? `: ${d.error}` : ""}`);
  for (const line of report.reconciled) lines.push(line);
  lines.push(report.drift.length ? `drift:\n${report.drift.map((d) => `  ${d}`).join("\n")}` : "drift: none");
  return `${lines.join("\n")}\n`;
}

export async function runStatus(ctx: CommandContext, flags: ProjectFlags & { json?: boolean }): Promise<number> {
  const report = await status(ctx.app, projectOf(ctx, flags));
  if (flags.json) {
    const { live, ...rest } = report;
    ctx.io.stdout(`${JSON.stringify({ ...rest, live: live ? { release: live.release, createdAt: live.createdAt } : null }, null, 2)}\n`);
  } else {
    ctx.io.stdout(renderStatus(report));
  }
  // For monitoring scripts: 1 when the report names a problem.
  return isHealthy(report) ? 0 : 1;
}
