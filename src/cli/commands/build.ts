/** `slipway build`: flags to a request, its events to progress (or --json), as a deploy's. */
import { build } from "../../app/build.js";
import { actorOf, projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { withProgress, type ProgressFlags } from "./deploy.js";

export interface BuildFlags extends Omit<ProgressFlags, "wait">, ProjectFlags {
  readonly ref?: string;
  readonly cache?: boolean;
  readonly force?: boolean;
  readonly allowDirty?: boolean;
}

export function runBuild(ctx: CommandContext, flags: BuildFlags): Promise<number> {
  const request = {
    ...projectOf(ctx, flags),
    ...(flags.ref ? { ref: flags.ref } : {}),
    cache: flags.cache ?? true,
    force: flags.force ?? false,
    allowDirty: flags.allowDirty ?? false,
    actor: actorOf(ctx),
  };
  return withProgress(ctx, flags, (options) => build(ctx.app, request, options));
}
