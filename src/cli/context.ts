/** The adapters a command runs with; built once per CLI call, passed down explicitly. */
import { createComposeCli, type ComposeCli } from "../adapters/compose-cli.js";
import { createEngine, type Engine } from "../adapters/docker-engine.js";
import { createGit, type Git } from "../adapters/git.js";
import type { VariableSourcesFn } from "../project/load-project.js";
import { Redactor } from "../secrets/redact.js";
import { variableSources } from "../secrets/variable-sources.js";
import { slipwayHome } from "../store/home.js";
import type { Io } from "./io.js";

export interface CommandContext {
  readonly io: Io;
  readonly git: Git;
  readonly compose: ComposeCli;
  readonly engine: Engine;
  /** `$SLIPWAY_HOME`. */
  readonly home: string;
  /** Learns every secret value as it is loaded; what `io` prints passes through it. */
  readonly redactor: Redactor;
  /** The store's and the provider's variables of an environment, for loading a project. */
  readonly variableSources: VariableSourcesFn;
}

export function createContext(io: Io, redactor = new Redactor()): CommandContext {
  const env = io.env as NodeJS.ProcessEnv;
  const home = slipwayHome(io.env);
  return { io, git: createGit(), compose: createComposeCli({ env }), engine: createEngine(), home, redactor, variableSources: variableSources({ home, env: io.env, redactor }) };
}
