/** `slipway logs`: the live release's containers (compose logs), or a deployment's stored log. */
import { SlipwayError } from "../../core/errors.js";
import { openSnapshot, runsAsOf } from "../../pipeline/release-snapshot.js";
import { masterSealer } from "../../secrets/master-key.js";
import type { CommandContext } from "../context.js";
import { openEnvironment } from "./environment.js";
import type { ProjectFlags } from "./load.js";

export async function runLogs(ctx: CommandContext, flags: ProjectFlags & { service?: string; follow?: boolean; deployment?: string }): Promise<number> {
  // The variables are read so that the redactor knows them: container output passes it.
  await using env = await openEnvironment(ctx, flags, { variables: true });
  const { store, compose, paths } = env.runtime.deps;
  if (flags.deployment !== undefined) {
    const id = Number.parseInt(flags.deployment, 10);
    const deployment = Number.isInteger(id) ? await store.deployment(id) : undefined;
    if (!deployment) throw new SlipwayError("E_NOT_FOUND", `no deployment ${flags.deployment}: see slipway releases`);
    for (const entry of await store.logs(id)) {
      if (flags.service && entry.step !== flags.service) continue;
      ctx.io.stdout(`${entry.step} ${entry.stream === "info" ? "|" : ">"} ${entry.line}\n`);
    }
    return 0;
  }
  const live = await store.liveRelease(env.environmentId);
  if (!live) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${env.project.environment.name}: run slipway deploy first`);
  if (live.sealed !== undefined) ctx.redactor.add(openSnapshot(live, () => masterSealer(ctx.home, ctx.io.env, { create: false })).secrets);
  const release = runsAsOf(live);
  const project = {
    projectName: `${env.project.name}-${env.project.environment.name}-${release}`,
    files: [`${paths.release(env.project.name, env.project.environment.name, release)}/release.yml`],
    projectDirectory: env.project.dir,
  };
  const args = ["logs", "--no-color", ...(flags.follow ? ["-f"] : []), ...(flags.service ? [flags.service] : [])];
  const result = await compose.exec(project, args, { onLine: (line, stream) => (stream === "stdout" ? ctx.io.stdout : ctx.io.stderr)(`${line}\n`) });
  return result.exitCode === 0 ? 0 : 1;
}
