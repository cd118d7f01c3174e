/**
 * Loads a project from disk: slipway.yml (optional), the environment's compose files, their
 * `${VAR}` references, the variables they will be interpolated with, and the git commit
 * that names the build. Collects every input problem instead of stopping at the first, and
 * never touches the Docker engine.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import type { Git, Head } from "../adapters/git.js";
import { scanComposeSource, type ScannedSource } from "../config/compose-source.js";
import { chooseComposeFiles, chooseEnvironment } from "../config/compose-files.js";
import type { EnvironmentConfig, SlipwayConfig } from "../config/slipway-schema.js";
import { findMissingVariables, layerVariables, type ResolvedVariables, type VariableSource } from "../config/variables.js";
import { commitTag, sanitizeName } from "../plan/naming.js";
import type { Problem } from "./problem.js";

export const CONFIG_FILE = "slipway.yml";

export interface LoadOptions {
  readonly dir: string;
  readonly environment?: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Overrides the tag (defaults to HEAD's commit). */
  readonly tag?: string;
  /** Read the compose files alone, as if there were no slipway.yml (for `slipway init`). */
  readonly ignoreConfig?: boolean;
}

export interface LoadedProject {
  readonly dir: string;
  readonly name: string;
  readonly config: SlipwayConfig;
  readonly configFile?: string;
  readonly environment: { readonly name: string; readonly settings: EnvironmentConfig | undefined };
  /** Paths relative to `dir`, in merge order. */
  readonly composeFiles: readonly string[];
  readonly inferredFiles: boolean;
  readonly sources: readonly ScannedSource[];
  readonly variables: ResolvedVariables;
  readonly head?: Head;
  readonly tag: string;
}

export interface LoadResult {
  readonly project?: LoadedProject;
  readonly problems: readonly Problem[];
  /** The unset variables among the problems, by name. */
  readonly missingVariables: readonly string[];
}

/** The default config when there is no slipway.yml: the schema's defaults, nothing declared. */
async function defaultConfig(): Promise<SlipwayConfig> {
  const { slipwayConfigSchema } = await import("../config/slipway-schema.js");
  return slipwayConfigSchema.parse({});
}

async function loadConfig(dir: string, ignore: boolean): Promise<{ config?: SlipwayConfig; file?: string; problems: Problem[] }> {
  const file = join(dir, CONFIG_FILE);
  if (ignore || !existsSync(file)) return { config: await defaultConfig(), problems: [] };
  const { readSlipwayConfig } = await import("../config/read-slipway-config.js");
  const result = readSlipwayConfig(CONFIG_FILE, readFileSync(file, "utf8"));
  if (result.ok) return { config: result.config, file: CONFIG_FILE, problems: [] };
  return { file: CONFIG_FILE, problems: result.problems.map((p) => ({ code: "E_CONFIG_INVALID", ...p })) };
}

function readDotenv(dir: string, parse: (text: string) => Record<string, string>): Record<string, string> {
  const file = join(dir, ".env");
  return existsSync(file) ? parse(readFileSync(file, "utf8")) : {};
}

export async function loadProject(options: LoadOptions, deps: { readonly git: Git }): Promise<LoadResult> {
  const dir = resolve(options.dir);
  const headPromise = deps.git.head(dir);
  const problems: Problem[] = [];
  const { config, file: configFile, problems: configProblems } = await loadConfig(dir, options.ignoreConfig ?? false);
  problems.push(...configProblems);
  if (!config) return { problems, missingVariables: [] };

  const environment = chooseEnvironment(config, options.environment);
  if (!environment.ok) return { problems: [...problems, { code: "E_USAGE", message: environment.problem }], missingVariables: [] };

  const choice = chooseComposeFiles({
    config,
    environmentName: environment.name,
    environment: environment.environment,
    exists: (f) => existsSync(join(dir, f)),
  });
  if (!choice.ok) return { problems: [...problems, { code: "E_FILE_MISSING", message: choice.problem }], missingVariables: [] };

  const sources: ScannedSource[] = [];
  for (const file of choice.files) {
    const path = isAbsolute(file) ? file : join(dir, file);
    const shown = isAbsolute(file) ? relative(dir, file) || file : file;
    if (!existsSync(path)) {
      const where = choice.inferred ? "" : ` (listed in ${configFile ?? CONFIG_FILE})`;
      problems.push({ code: "E_FILE_MISSING", message: `compose file ${shown} does not exist${where}: create it or fix the list of files` });
      continue;
    }
    const scanned = scanComposeSource(shown, readFileSync(path, "utf8"));
    sources.push(scanned);
    problems.push(...scanned.problems.map((p) => ({ code: p.message.startsWith("invalid YAML") ? ("E_YAML_INVALID" as const) : ("E_COMPOSE_INVALID" as const), ...p })));
  }

  const head = await headPromise;
  const tag = options.tag ?? (head ? commitTag(head.commit, head.dirty) : "latest");
  const { parse } = await import("dotenv");
  const variableSources: VariableSource[] = [
    { name: ".env", values: readDotenv(dir, parse) },
    { name: "process environment", values: options.processEnv },
    { name: "slipway", values: { TAG: tag } },
  ];
  const variables = layerVariables(variableSources);
  const missing = findMissingVariables(sources.flatMap((s) => s.references), variables);
  for (const gap of missing) {
    const why = gap.message ? `: ${gap.message}` : "";
    problems.push({
      code: "E_VARIABLES_MISSING",
      position: gap.position,
      message: `variable ${gap.name} is not set${why} (set it in the environment or in .env for environment "${environment.name}")`,
    });
  }

  const project: LoadedProject = {
    dir,
    name: config.project ?? sanitizeName(basename(dir)),
    config,
    ...(configFile ? { configFile } : {}),
    environment: { name: environment.name, settings: environment.environment },
    composeFiles: choice.files,
    inferredFiles: choice.inferred,
    sources,
    variables,
    ...(head ? { head } : {}),
    tag,
  };
  return { project, problems, missingVariables: [...new Set(missing.map((m) => m.name))] };
}
