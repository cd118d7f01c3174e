/** `slipway logs`: the live release's containers (compose logs), or a deployment's stored log. */
import { deploymentLog, liveLogs } from "../../app/logs.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";

export async function runLogs(ctx: CommandContext, flags: ProjectFlags & { service?: string; follow?: boolean; deployment?: string }): Promise<number> {
  const project = projectOf(ctx, flags);
  if (flags.deployment !== undefined) {
    for (const entry of await deploymentLog(ctx.app, { ...project, deployment: flags.deployment, ...(flags.service ? { step: flags.service } : {}) })) {
      ctx.io.stdout(`${entry.step} ${entry.stream === "info" ? "|" : ">"} ${entry.line}\n`);
    }
    return 0;
  }
  const exitCode = await liveLogs(ctx.app, {
    ...project,
    ...(flags.service ? { service: flags.service } : {}),
    follow: flags.follow ?? false,
    onLine: (line, stream) => (stream === "stdout" ? ctx.io.stdout : ctx.io.stderr)(`${line}\n`),
    ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
  });
  return exitCode === 0 ? 0 : 1;
}
