/** What a command runs with: its input and output, and the application built for this call. */
import { userInfo } from "node:os";
import { createApp, type App } from "../app/app.js";
import type { ProjectRequest } from "../app/project.js";
import type { Redactor } from "../app/errors.js";
import type { Io } from "./io.js";

/** -e, -C, -f (repeatable) and --profile (repeatable): which project and environment a command acts on. */
export interface ProjectFlags {
  readonly env?: string;
  readonly dir?: string;
  readonly file?: readonly string[];
  readonly profile?: readonly string[];
}

export interface CommandContext {
  readonly io: Io;
  readonly app: App;
}

export function createContext(io: Io, redactor: Redactor): CommandContext {
  return { io, app: createApp({ env: io.env, identity: io.identity, redactor }) };
}

/** The project directory a command acts on: -C DIR, else the current directory. */
export function projectOf(ctx: CommandContext, flags: ProjectFlags): ProjectRequest {
  return {
    dir: flags.dir ?? ctx.io.cwd,
    ...(flags.env ? { environment: flags.env } : {}),
    ...(flags.file?.length ? { files: flags.file } : {}),
    ...(flags.profile?.length ? { profiles: flags.profile } : {}),
  };
}

/** Who the history names for what this call does. */
export function actorOf(ctx: CommandContext): string {
  return ctx.io.env.SLIPWAY_ACTOR ?? ctx.io.env.USER ?? userInfo().username;
}
