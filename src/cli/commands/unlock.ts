/** `slipway unlock`: who holds the environment's lock, then break it (asked, or --yes). */
import { SlipwayError } from "../../app/errors.js";
import { unlock } from "../../app/unlock.js";
import { actorOf, projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { ago } from "../render.js";

export async function runUnlock(ctx: CommandContext, flags: ProjectFlags & { yes?: boolean }): Promise<number> {
  const outcome = await unlock(ctx.app, {
    ...projectOf(ctx, flags),
    actor: actorOf(ctx),
    confirm: async (lock) => {
      const who = `${lock.holder}${lock.pid !== undefined ? ` (pid ${lock.pid}${lock.hostname ? ` on ${lock.hostname}` : ""}${lock.dead ? ", no longer running" : ""})` : ""}, since ${ago(lock.acquiredAt)}`;
      ctx.io.stderr(`the environment is locked by ${who}\n`);
      if (flags.yes) return true;
      if (!ctx.io.confirm) throw new SlipwayError("E_USAGE", "breaking a lock needs a yes: run slipway unlock --yes (from a script), or on a terminal");
      return ctx.io.confirm("break it? A deployment still running under it would then race the next one [y/N] ");
    },
  });
  ctx.io.stdout(outcome.broken ? "lock broken\n" : "the environment is not locked\n");
  return 0;
}
