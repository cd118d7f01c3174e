/** `slipway deploy`, `rollback` and `promote`: flags to a request, events to progress, the outcome to an exit code. */
import { deploy } from "../../app/deploy.js";
import type { DriveOptions } from "../../app/drive.js";
import { SlipwayError, type EventSink } from "../../app/errors.js";
import type { BuildMode } from "../../app/index.js";
import { promote } from "../../app/promote.js";
import { rollback } from "../../app/rollback.js";
import { actorOf, projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { jsonEvents, plainEvents, progressMode, ttyEvents } from "../progress.js";

export interface ProgressFlags {
  readonly wait?: boolean;
  readonly json?: boolean;
}

export interface DeployFlags extends ProgressFlags, ProjectFlags {
  readonly ref?: string;
  readonly cache?: boolean;
  readonly allowDirty?: boolean;
  readonly buildMode?: string;
}

export function parseBuildMode(value: string | undefined): BuildMode {
  if (value === undefined || value === "auto" || value === "reuse" || value === "force") return value ?? "auto";
  throw new SlipwayError("E_USAGE", `--build-mode ${value}: choose auto, reuse or force`);
}

function sinkFor(ctx: CommandContext, flags: ProgressFlags): EventSink & { stop?: () => void } {
  const mode = progressMode(flags, ctx.io.stdoutIsTTY, ctx.io.env);
  if (mode === "json") return jsonEvents(ctx.io.stdout);
  return mode === "tty" ? ttyEvents(ctx.io.stderr) : plainEvents(ctx.io.stderr);
}

/** Runs one deployment-making operation with the CLI's progress and the process's signals. */
export async function withProgress(ctx: CommandContext, flags: ProgressFlags, body: (options: DriveOptions) => Promise<unknown>): Promise<number> {
  const events = sinkFor(ctx, flags);
  try {
    await body({ events, wait: flags.wait ?? true, ...(ctx.io.signal ? { signal: ctx.io.signal } : {}) });
    return 0;
  } finally {
    events.stop?.();
  }
}

export function runDeploy(ctx: CommandContext, flags: DeployFlags): Promise<number> {
  const request = {
    ...projectOf(ctx, flags),
    ...(flags.ref ? { ref: flags.ref } : {}),
    cache: flags.cache ?? true,
    allowDirty: flags.allowDirty ?? false,
    buildMode: parseBuildMode(flags.buildMode),
    actor: actorOf(ctx),
  };
  // Asked again at preflight: asking now lets compose answer while the project loads.
  ctx.app.compose.version().catch(() => undefined);
  return withProgress(ctx, flags, (options) => deploy(ctx.app, request, options));
}

export interface RollbackFlags extends ProgressFlags, ProjectFlags {
  readonly target?: string;
  readonly withRelease?: boolean;
  readonly currentVars?: boolean;
}

export function runRollback(ctx: CommandContext, flags: RollbackFlags): Promise<number> {
  const request = { ...projectOf(ctx, flags), ...(flags.target ? { target: flags.target } : {}), withRelease: flags.withRelease ?? false, currentVars: flags.currentVars ?? false, actor: actorOf(ctx) };
  return withProgress(ctx, flags, (options) => rollback(ctx.app, request, options));
}

export interface PromoteFlags extends ProgressFlags, Omit<ProjectFlags, "env"> {
  readonly from: string;
  readonly to: string;
}

export function runPromote(ctx: CommandContext, flags: PromoteFlags): Promise<number> {
  const request = { ...projectOf(ctx, flags), from: flags.from, to: flags.to, actor: actorOf(ctx) };
  return withProgress(ctx, flags, (options) => promote(ctx.app, request, options));
}
