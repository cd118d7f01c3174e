/** `slipway init`: writes a commented slipway.yml inferred from the compose files. Never prompts. */
import { writeFileSync } from "node:fs";
import { inferConfig } from "../../app/init.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";

export async function runInit(ctx: CommandContext, flags: ProjectFlags & { force?: boolean; stdout?: boolean }): Promise<number> {
  const { path, text } = await inferConfig(ctx.app, { ...projectOf(ctx, flags), force: (flags.force ?? false) || (flags.stdout ?? false) });
  if (flags.stdout) {
    ctx.io.stdout(text);
    return 0;
  }
  writeFileSync(path, text);
  ctx.io.stdout(`wrote ${path}; run slipway check to validate the project\n`);
  return 0;
}
