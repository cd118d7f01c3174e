/**
 * Loads a project from disk: slipway.yml (optional), the environment's compose files, their
 * `${VAR}` references, the variables they will be interpolated with, and the git commit
 * that names the build. Collects every input problem instead of stopping at the first, and
 * never touches the Docker engine.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import type { Git, Head } from "../adapters/git.js";
import { scanComposeSource, type ScannedSource } from "../config/compose-source.js";
import { chooseComposeFiles, chooseEnvironment, chooseProfiles, type ComposeFilesOrigin } from "../config/compose-files.js";
import { DEFAULT_CONFIG, provisionalConfig } from "../config/default-config.js";
import type { EnvironmentConfig, SecretsConfig, SlipwayConfig } from "../config/slipway-schema.js";
import { findMissingVariables, layerVariables, type ResolvedVariables, type VariableSource } from "../config/variables.js";
import { commitTag, sanitizeName } from "../plan/naming.js";
import { composeSizeProblem } from "./compose-size.js";
import type { ConfigCache } from "./config-cache.js";
import type { Problem } from "./problem.js";
import { composeEnvironment, projectFiles } from "./project-files.js";

export const CONFIG_FILE = "slipway.yml";

export interface LoadOptions {
  readonly dir: string;
  readonly environment?: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Overrides the tag (defaults to HEAD's commit). */
  readonly tag?: string;
  /** Read the compose files alone, as if there were no slipway.yml (for `slipway init`). */
  readonly ignoreConfig?: boolean;
  /** Slipway's store and a provider: layered over the process environment, under TAG. */
  readonly variableSources?: VariableSourcesFn;
  /** The project's name when slipway.yml gives none (default: the directory's name). */
  readonly name?: string;
  /** Where `.env` is read from (default: `dir`); an exported tree has none of its own. */
  readonly dotenvDir?: string;
  /** `-f/--file`, relative to `dir`: the compose files, in merge order, whatever else says. */
  readonly files?: readonly string[];
  /** `--profile`: the compose profiles to enable. */
  readonly profiles?: readonly string[];
  /**
   * Leave git alone: for a caller that reads history and state and builds nothing, HEAD's commit
   * (the tag) is of no use, and `git status` walks the whole working tree.
   */
  readonly withoutCommit?: boolean;
}

/** What names an environment's own variables. */
export interface VariableTarget {
  readonly dir: string;
  readonly project: string;
  readonly environment: string;
  readonly secrets?: SecretsConfig;
}

export type VariableSourcesFn = (target: VariableTarget) => Promise<readonly VariableSource[]>;

/** Everything about a project that decides how compose reads it. */
export interface StagedProject {
  readonly dir: string;
  readonly name: string;
  readonly config: SlipwayConfig;
  readonly configFile?: string;
  readonly environment: { readonly name: string; readonly settings: EnvironmentConfig | undefined };
  /** Paths relative to `dir`, in merge order. */
  readonly composeFiles: readonly string[];
  /** Who named the files, and why these: for `slipway config` and `slipway init`. */
  readonly composeOrigin: ComposeFilesOrigin;
  readonly composeReason: string;
  /** The compose profiles enabled (undefined: every service, whatever its profiles). */
  readonly profiles?: readonly string[];
  readonly profilesReason: string;
  readonly variables: ResolvedVariables;
  /** The store's version of the environment's variables (null: none was ever set). */
  readonly variablesVersion: number | null;
  readonly head?: Head;
  readonly tag: string;
}

export interface LoadedProject extends StagedProject {
  readonly sources: readonly ScannedSource[];
}

export interface LoadResult {
  readonly project?: LoadedProject;
  readonly problems: readonly Problem[];
  /** The unset variables among the problems, by name. */
  readonly missingVariables: readonly string[];
}

export interface LoadHooks {
  /**
   * Called as soon as the compose files and variables are known (possibly from a provisional
   * reading of slipway.yml), before the slower validation and scanning: lets a caller start
   * `docker compose config` early. The final project may differ; callers compare.
   */
  readonly onStaged?: (staged: StagedProject) => void;
}

type Staging = { ok: true; staged: StagedProject } | { ok: false; problem: Problem };

function readDotenv(dir: string, parse: (text: string) => Record<string, string>): Record<string, string> {
  const file = join(dir, ".env");
  return existsSync(file) ? parse(readFileSync(file, "utf8")) : {};
}

function projectName(options: LoadOptions, dir: string, config: SlipwayConfig): string {
  return config.project ?? options.name ?? sanitizeName(basename(dir));
}

function variableTarget(options: LoadOptions, dir: string, config: SlipwayConfig): VariableTarget | undefined {
  const environment = chooseEnvironment(config, options.environment);
  if (!environment.ok) return undefined;
  const secrets = environment.environment?.secrets ?? config.secrets;
  return { dir, project: projectName(options, dir, config), environment: environment.name, ...(secrets ? { secrets } : {}) };
}

/** The extra sources of a config, asked once per distinct target (a provisional and a final reading usually agree). */
function extraSources(options: LoadOptions, dir: string): (config: SlipwayConfig) => Promise<readonly VariableSource[]> {
  const asked = new Map<string, Promise<readonly VariableSource[]>>();
  return (config) => {
    const target = options.variableSources ? variableTarget(options, dir, config) : undefined;
    if (!target || !options.variableSources) return Promise.resolve([]);
    const key = JSON.stringify(target);
    let sources = asked.get(key);
    if (!sources) {
      sources = options.variableSources(target);
      asked.set(key, sources);
    }
    return sources;
  };
}

function stage(options: LoadOptions, dir: string, config: SlipwayConfig, configFile: string | undefined, head: Head | undefined, extra: readonly VariableSource[]): Staging {
  const environment = chooseEnvironment(config, options.environment);
  if (!environment.ok) return { ok: false, problem: { code: "E_USAGE", message: environment.problem } };
  const dotenv = readDotenv(options.dotenvDir ?? dir, parseDotenv);
  const composeEnv = composeEnvironment(dotenv, options.processEnv);
  const which = { config, environmentName: environment.name, environment: environment.environment, composeEnv };
  const choice = chooseComposeFiles({ ...which, ...projectFiles(dir), ...(options.files ? { files: options.files } : {}) });
  if (!choice.ok) return { ok: false, problem: { code: "E_FILE_MISSING", message: choice.problem } };
  const profiles = chooseProfiles({ ...which, ...(options.profiles ? { profiles: options.profiles } : {}) });
  const tag = options.tag ?? (head ? commitTag(head.commit, head.dirty) : "latest");
  const variables = layerVariables([
    { name: ".env", values: dotenv },
    { name: "process environment", values: options.processEnv },
    ...extra,
    { name: "slipway", values: { TAG: tag } },
  ]);
  return {
    ok: true,
    staged: {
      dir,
      name: projectName(options, dir, config),
      config,
      ...(configFile ? { configFile } : {}),
      environment: { name: environment.name, settings: environment.environment },
      composeFiles: choice.files,
      composeOrigin: choice.origin,
      composeReason: choice.reason,
      ...(profiles.profiles ? { profiles: profiles.profiles } : {}),
      profilesReason: profiles.reason,
      variables,
      variablesVersion: extra.find((source) => source.version !== undefined)?.version ?? null,
      ...(head ? { head } : {}),
      tag,
    },
  };
}

async function validateConfig(text: string, cache: ConfigCache | undefined): Promise<{ config?: SlipwayConfig; problems: Problem[] }> {
  const known = cache?.read(text);
  if (known) return { config: known, problems: [] };
  const { readSlipwayConfig } = await import("../config/read-slipway-config.js");
  const result = readSlipwayConfig(CONFIG_FILE, text);
  if (result.ok) {
    cache?.write(text, result.config);
    return { config: result.config, problems: [] };
  }
  return { problems: result.problems.map((p) => ({ code: "E_CONFIG_INVALID", ...p })) };
}

function scanSources(staged: StagedProject): { sources: ScannedSource[]; problems: Problem[] } {
  const sources: ScannedSource[] = [];
  const problems: Problem[] = [];
  for (const file of staged.composeFiles) {
    const path = isAbsolute(file) ? file : join(staged.dir, file);
    const shown = isAbsolute(file) ? relative(staged.dir, file) || file : file;
    if (!existsSync(path)) {
      const where = { inferred: "", "--file": " (given with -f)", COMPOSE_FILE: " (named in COMPOSE_FILE)", "slipway.yml": ` (listed in ${staged.configFile ?? CONFIG_FILE})` }[staged.composeOrigin];
      problems.push({ code: "E_FILE_MISSING", message: `compose file ${shown} does not exist${where}: create it or fix the list of files` });
      continue;
    }
    const scanned = scanComposeSource(shown, readFileSync(path, "utf8"));
    sources.push(scanned);
    problems.push(...scanned.problems.map((p) => ({ code: p.message.startsWith("invalid YAML") ? ("E_YAML_INVALID" as const) : ("E_COMPOSE_INVALID" as const), ...p })));
  }
  return { sources, problems };
}

export interface LoadDeps {
  readonly git: Git;
  /** slipway.yml texts validated before (default: validate every time). */
  readonly configCache?: ConfigCache | undefined;
}

export async function loadProject(options: LoadOptions, deps: LoadDeps, hooks: LoadHooks = {}): Promise<LoadResult> {
  const dir = resolve(options.dir);
  const head = options.withoutCommit ? undefined : await deps.git.head(dir);
  const configPath = join(dir, CONFIG_FILE);
  const configText = !options.ignoreConfig && existsSync(configPath) ? readFileSync(configPath, "utf8") : undefined;
  const configFile = configText === undefined ? undefined : CONFIG_FILE;

  const sourcesOf = extraSources(options, dir);
  if (hooks.onStaged) {
    const guess = configText === undefined ? DEFAULT_CONFIG : provisionalConfig(configText);
    const extra = guess ? await sourcesOf(guess).catch(() => undefined) : undefined;
    const early = guess && extra ? stage(options, dir, guess, configFile, head, extra) : undefined;
    // Compose must not start on files over the limit: the final reading refuses them.
    if (early?.ok && !composeSizeProblem(dir, early.staged.composeFiles)) hooks.onStaged(early.staged);
  }

  const validated = configText === undefined ? { config: DEFAULT_CONFIG, problems: [] } : await validateConfig(configText, deps.configCache);
  if (!validated.config) return { problems: validated.problems, missingVariables: [] };
  const staging = stage(options, dir, validated.config, configFile, head, await sourcesOf(validated.config));
  if (!staging.ok) return { problems: [staging.problem], missingVariables: [] };
  const staged = staging.staged;
  const tooLarge = composeSizeProblem(dir, staged.composeFiles);
  if (tooLarge) return { problems: [tooLarge], missingVariables: [] };

  const { sources, problems } = scanSources(staged);
  const missing = findMissingVariables(sources.flatMap((s) => s.references), staged.variables);
  for (const gap of missing) {
    const why = gap.message ? `: ${gap.message}` : "";
    problems.push({
      code: "E_VARIABLES_MISSING",
      position: gap.position,
      message: `variable ${gap.name} is not set${why} (set it with slipway env set ${gap.name}=… --env ${staged.environment.name}, in the process environment, or in .env)`,
    });
  }
  return { project: { ...staged, sources }, problems, missingVariables: [...new Set(missing.map((m) => m.name))] };
}
