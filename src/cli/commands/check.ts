/** `slipway check`: the preflight, as a report. */
import { check, renderProblem, type CheckReport, type SwarmCheck } from "../../app/inspect.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { describeService } from "./describe.js";

export function renderCheck(report: CheckReport): string {
  const lines: string[] = [];
  const project = report.project;
  if (project) {
    lines.push(`${project.name}, environment ${project.environment.name}: ${project.composeFiles.join(", ")}`);
  }
  if (report.classification) {
    for (const service of report.classification.services) lines.push(`  ${describeService(service, report.classification)}`);
  }
  const sourced = report.variables.filter((v) => v.origin !== undefined);
  if (sourced.length > 0) lines.push(`variables: ${sourced.map((v) => `${v.name} (from ${v.origin})`).join(", ")}`);
  if (report.swarm) lines.push(...renderSwarm(report.swarm));
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.problems.length > 0) {
    lines.push(`${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} to fix:`);
    for (const problem of report.problems) lines.push(`  ${renderProblem(problem)}`);
  }
  for (const error of report.unavailable) lines.push(`unavailable: ${error.message}`);
  if (report.exitCode === 0) {
    lines.push(`deployable (compose ${report.composeVersion ?? "?"}, engine ${report.engineVersion ?? "?"})`);
  } else if (report.problems.length === 0 && report.unavailable.length > 0) {
    lines.push("not deployable here until the above is installed or started");
  } else {
    lines.push("not deployable: fix the problems above and run slipway check again");
  }
  return `${lines.join("\n")}\n`;
}

function renderSwarm(swarm: SwarmCheck): string[] {
  if (!swarm.manager) return [];
  const pulled = new Map(swarm.pulls.map((p) => [p.hostname, p]));
  const lines = [`swarm: ${swarm.nodes.length} node${swarm.nodes.length === 1 ? "" : "s"}`];
  for (const node of swarm.nodes) {
    const pull = pulled.get(node.hostname);
    const verdict = pull ? (pull.pulled ? "pulls from the registry" : "cannot pull") : "";
    lines.push(`  ${[node.hostname, node.role, node.availability, node.state, verdict].filter((part) => part !== "").join("  ")}`);
  }
  for (const note of swarm.notes) lines.push(`note: ${note}`);
  return lines;
}

export async function runCheck(ctx: CommandContext, flags: ProjectFlags): Promise<number> {
  const report = await check(ctx.app, projectOf(ctx, flags));
  (report.exitCode === 0 ? ctx.io.stdout : ctx.io.stderr)(renderCheck(report));
  return report.exitCode;
}
