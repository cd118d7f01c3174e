/** `slipway config`: the resolved compose model, plus how Slipway classified each service. */
import { config } from "../../app/inspect.js";
import { redactData } from "../../app/errors.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { parseFormat, renderData } from "../format.js";

export async function runConfig(ctx: CommandContext, flags: ProjectFlags & { format?: string }): Promise<number> {
  const format = parseFormat(flags.format);
  // Redacted as data, before YAML or JSON quotes a value into a form the printed text would not match.
  ctx.io.stdout(renderData(redactData(await config(ctx.app, projectOf(ctx, flags)), (text) => ctx.app.redactor.apply(text)), format));
  return 0;
}
