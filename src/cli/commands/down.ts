/** `slipway down`: the environment's releases, accessories and route go; named volumes only with --volumes. */
import { down } from "../../app/down.js";
import { actorOf, projectOf, type CommandContext, type ProjectFlags } from "../context.js";

export async function runDown(ctx: CommandContext, flags: ProjectFlags & { volumes?: boolean }): Promise<number> {
  await down(ctx.app, {
    ...projectOf(ctx, flags),
    volumes: flags.volumes ?? false,
    actor: actorOf(ctx),
    onWait: (holder) => ctx.io.stderr(`waiting: the environment is locked by ${holder}\n`),
    say: (text) => ctx.io.stderr(`${text}\n`),
  });
  return 0;
}
