/** `slipway config`: the resolved compose model, plus how Slipway classified each service. */
import { config } from "../../app/inspect.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { parseFormat, renderData } from "../format.js";

export async function runConfig(ctx: CommandContext, flags: ProjectFlags & { format?: string }): Promise<number> {
  const format = parseFormat(flags.format);
  ctx.io.stdout(renderData(await config(ctx.app, projectOf(ctx, flags)), format));
  return 0;
}
