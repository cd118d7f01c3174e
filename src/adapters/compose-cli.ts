/**
 * Docker Compose v2, through its own CLI: the reference implementation reads and runs the
 * user's files; Slipway never re-implements compose semantics.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { SlipwayError } from "../core/errors.js";
import type { ComposeModel } from "../plan/compose-model.js";
import { CommandNotFoundError, runCommand, type CommandResult } from "./run-command.js";

export const MINIMUM_COMPOSE = [2, 24] as const;

export interface ComposeTarget {
  readonly files: readonly string[];
  readonly projectDirectory: string;
  readonly projectName: string;
  /** Variables for interpolation (merged over the process environment). */
  readonly variables: Readonly<Record<string, string>>;
  /** The profiles to enable (default: every one). */
  readonly profiles?: readonly string[];
  /** Only these services (and what they depend on), enabled whatever their profiles. */
  readonly services?: readonly string[];
}

/** A compose project to act on: planned files that need no interpolation. */
export interface ComposeProject {
  readonly projectName: string;
  readonly files: readonly string[];
  readonly projectDirectory: string;
}

export interface ExecOptions {
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
  readonly timeoutMs?: number;
  /** Extra environment for compose (variables the containers receive at run time). */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting stops compose (SIGTERM): a cancelled deployment's build or start goes no further. */
  readonly signal?: AbortSignal;
  /** Compose gets this process's standard streams (a one-off command's terminal); nothing is collected. */
  readonly inheritStdio?: boolean;
}

export interface ComposeCli {
  /** Runs `compose -p NAME -f FILE… ARGS…` and returns its result (never throws on exit code). */
  exec(project: ComposeProject, args: readonly string[], options?: ExecOptions): Promise<CommandResult>;
  /** The plugin's version, such as "2.26.1"; throws E_COMPOSE_MISSING / E_COMPOSE_TOO_OLD. */
  version(): Promise<string>;
  /** The resolved model: of the target's profiles (default: every one), or of its services. */
  config(target: ComposeTarget): Promise<ComposeModel>;
}

const INSTALL_HINT = "install the Docker Compose v2 plugin (>= 2.24): on Debian, run scripts/install-docker-debian.sh; elsewhere see https://docs.docker.com/compose/install/";

export function parseComposeVersion(text: string): [number, number, number] | undefined {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function isComposeRecentEnough(version: readonly number[]): boolean {
  const [major = 0, minor = 0] = version;
  return major > MINIMUM_COMPOSE[0] || (major === MINIMUM_COMPOSE[0] && minor >= MINIMUM_COMPOSE[1]);
}

/** Compose's messages are prefixed and multi-line; keep the part a person needs. */
export function composeErrorText(result: CommandResult): string {
  const text = (result.stderr || result.stdout).trim();
  return text
    .split("\n")
    .filter((line) => !/level=warning/.test(line))
    .join("\n")
    .replace(/^(error|Error):?\s*/i, "")
    .trim();
}

/**
 * How to run compose: the plugin binary itself where the docker CLI would find it (same
 * directories, same order), which saves the docker CLI's own start-up and plugin scan (about
 * 100 ms a call, measured here); else `docker compose`. SLIPWAY_COMPOSE names another command.
 */
export function composeCommand(env: NodeJS.ProcessEnv): readonly string[] {
  if (env.SLIPWAY_COMPOSE) return [env.SLIPWAY_COMPOSE];
  const userDir = join(env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), ".docker"), "cli-plugins");
  const dirs = [userDir, "/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins"];
  const plugin = dirs.map((dir) => join(dir, "docker-compose")).find((file) => existsSync(file));
  return plugin ? [plugin] : ["docker", "compose"];
}

export function createComposeCli(options: { readonly env?: NodeJS.ProcessEnv } = {}): ComposeCli {
  const baseEnv = options.env ?? process.env;
  const [program = "docker", ...prefix] = composeCommand(baseEnv);

  async function compose(args: readonly string[], env: NodeJS.ProcessEnv = baseEnv, cwd?: string): Promise<CommandResult> {
    try {
      return await runCommand(program, [...prefix, ...args], { env, ...(cwd ? { cwd } : {}) });
    } catch (error) {
      if (error instanceof CommandNotFoundError) {
        throw new SlipwayError("E_COMPOSE_MISSING", `Docker Compose is not installed (${program} not found): ${INSTALL_HINT}`, { cause: error });
      }
      throw error;
    }
  }

  async function askVersion(): Promise<string> {
    const result = await compose(["version", "--short"]);
    const version = result.exitCode === 0 ? parseComposeVersion(result.stdout) : undefined;
    if (!version) {
      throw new SlipwayError("E_COMPOSE_MISSING", `Docker Compose v2 is not available ("docker compose version" failed): ${INSTALL_HINT}`);
    }
    if (!isComposeRecentEnough(version)) {
      throw new SlipwayError("E_COMPOSE_TOO_OLD", `Docker Compose ${version.join(".")} is too old; Slipway needs ${MINIMUM_COMPOSE.join(".")} or newer: ${INSTALL_HINT}`);
    }
    return version.join(".");
  }

  let versionAnswer: Promise<string> | undefined;

  return {
    async exec(project, args, options = {}) {
      const fileArgs = project.files.flatMap((f) => ["-f", f]);
      const all = ["--project-directory", project.projectDirectory, "-p", project.projectName, ...fileArgs, ...args];
      try {
        return await runCommand(program, [...prefix, ...all], {
          cwd: project.projectDirectory,
          env: { ...baseEnv, ...options.env },
          ...(options.onLine ? { onLine: options.onLine } : {}),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.inheritStdio ? { inheritStdio: true } : {}),
        });
      } catch (error) {
        if (error instanceof CommandNotFoundError) {
          throw new SlipwayError("E_COMPOSE_MISSING", `Docker Compose is not installed (${program} not found): ${INSTALL_HINT}`, { cause: error });
        }
        throw error;
      }
    },

    version() {
      // Asked once per process: a command may ask early, so that the answer is there at preflight.
      versionAnswer ??= askVersion();
      return versionAnswer;
    },

    async config(target) {
      const profiles = (target.profiles ?? ["*"]).flatMap((p) => ["--profile", p]);
      const args = ["--project-directory", target.projectDirectory, "-p", target.projectName, ...target.files.flatMap((f) => ["-f", f]), ...profiles, "config", "--format", "json", ...(target.services ?? [])];
      // COMPOSE_* settings of the caller's shell must not change which files or project we read.
      const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(baseEnv).filter(([key]) => !/^COMPOSE_(FILE|PROJECT_NAME|PROFILES|ENV_FILES)$/.test(key)));
      // Reading a model needs no engine, yet compose pings it: point it nowhere, so a read never
      // touches the engine (and never waits on a remote one).
      const result = await compose(args, { ...env, ...target.variables, DOCKER_HOST: "unix:///dev/null", DOCKER_CONTEXT: "default" }, target.projectDirectory);
      if (result.exitCode !== 0) {
        const text = composeErrorText(result);
        if (/unknown (shorthand )?flag|is not a docker command/i.test(text)) {
          throw new SlipwayError("E_COMPOSE_MISSING", `Docker Compose v2 is not available: ${INSTALL_HINT}`);
        }
        throw new SlipwayError("E_COMPOSE_INVALID", `docker compose rejected the project: ${text}`, { details: [] });
      }
      try {
        return JSON.parse(result.stdout) as ComposeModel;
      } catch (error) {
        throw new SlipwayError("E_INTERNAL", "docker compose config printed something that is not JSON; is the compose plugin >= 2.24?", { cause: error });
      }
    },
  };
}
