/** The adapters a command runs with; built once per CLI call, passed down explicitly. */
import { createComposeCli, type ComposeCli } from "../adapters/compose-cli.js";
import { createEngine, type Engine } from "../adapters/docker-engine.js";
import { createGit, type Git } from "../adapters/git.js";
import type { Io } from "./io.js";

export interface CommandContext {
  readonly io: Io;
  readonly git: Git;
  readonly compose: ComposeCli;
  readonly engine: Engine;
}

export function createContext(io: Io): CommandContext {
  const env = io.env as NodeJS.ProcessEnv;
  return { io, git: createGit(), compose: createComposeCli({ env }), engine: createEngine() };
}
