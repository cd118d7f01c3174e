/**
 * Which compose files and profiles a project's environment uses, the way compose picks them:
 * `-f` first, then what slipway.yml says, then `COMPOSE_FILE` (and `COMPOSE_PROFILES`) from the
 * process environment or the project's `.env`, else the layout of the files present.
 */
import { previewEnvironment } from "./previews.js";
import { delimiter } from "node:path";
import { inferComposeFiles, type ProjectFiles } from "./compose-layout.js";
import type { EnvironmentConfig, SlipwayConfig } from "./slipway-schema.js";

export type ComposeFilesOrigin = "--file" | "slipway.yml" | "COMPOSE_FILE" | "inferred";

export type ComposeFileChoice =
  | { readonly ok: true; readonly files: readonly string[]; readonly origin: ComposeFilesOrigin; readonly reason: string }
  | { readonly ok: false; readonly problem: string };

/** COMPOSE_FILE, COMPOSE_PATH_SEPARATOR and COMPOSE_PROFILES: the process environment's over `.env`'s. */
export type ComposeEnvironment = Readonly<Record<string, string | undefined>>;

export interface ComposeFileRequest extends ProjectFiles {
  readonly config: SlipwayConfig;
  readonly environmentName: string;
  readonly environment: EnvironmentConfig | undefined;
  /** `-f/--file`, in order: they win over everything else. */
  readonly files?: readonly string[];
  readonly composeEnv?: ComposeEnvironment;
}

/** Compose's own list syntax: COMPOSE_PATH_SEPARATOR, else the platform's (":" here, ";" on Windows). */
export function composeFileList(value: string, separator: string | undefined): string[] {
  return value.split(separator || delimiter).map((file) => file.trim()).filter((file) => file.length > 0);
}

/** Whether slipway.yml names the files, for the environment or for all. */
function declaredFiles(config: SlipwayConfig, environmentName: string, environment: EnvironmentConfig | undefined): { files: readonly string[]; where: string } | undefined {
  if (environment?.compose) return { files: environment.compose, where: `environments.${environmentName}.compose in slipway.yml` };
  return config.compose ? { files: config.compose, where: "compose: in slipway.yml" } : undefined;
}

export function chooseComposeFiles(request: ComposeFileRequest): ComposeFileChoice {
  const { config, environmentName, environment, composeEnv = {} } = request;
  if (request.files && request.files.length > 0) return { ok: true, files: request.files, origin: "--file", reason: "given with -f" };
  const declared = declaredFiles(config, environmentName, environment);
  if (declared) return { ok: true, files: declared.files, origin: "slipway.yml", reason: declared.where };
  const listed = composeFileList(composeEnv.COMPOSE_FILE ?? "", composeEnv.COMPOSE_PATH_SEPARATOR);
  if (listed.length > 0) return { ok: true, files: listed, origin: "COMPOSE_FILE", reason: `COMPOSE_FILE=${composeEnv.COMPOSE_FILE ?? ""}` };
  const inferred = inferComposeFiles(environmentName, request);
  return inferred.ok ? { ok: true, files: inferred.files, origin: "inferred", reason: inferred.reason } : inferred;
}

export interface ProfileChoice {
  /** The profiles compose enables; undefined: every service, whatever its profiles. */
  readonly profiles?: readonly string[];
  readonly reason: string;
}

/** `--profile`, else slipway.yml's `profiles:`, else COMPOSE_PROFILES unless slipway.yml names the files. */
export function chooseProfiles(request: {
  readonly config: SlipwayConfig;
  readonly environmentName: string;
  readonly environment: EnvironmentConfig | undefined;
  readonly profiles?: readonly string[];
  readonly composeEnv?: ComposeEnvironment;
}): ProfileChoice {
  const { config, environmentName, environment, composeEnv = {} } = request;
  if (request.profiles && request.profiles.length > 0) return { profiles: request.profiles, reason: "given with --profile" };
  if (environment?.profiles) return { profiles: environment.profiles, reason: `environments.${environmentName}.profiles in slipway.yml` };
  if (config.profiles) return { profiles: config.profiles, reason: "profiles: in slipway.yml" };
  const listed = declaredFiles(config, environmentName, environment) ? [] : (composeEnv.COMPOSE_PROFILES ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  if (listed.length > 0) return { profiles: listed, reason: `COMPOSE_PROFILES=${composeEnv.COMPOSE_PROFILES ?? ""}` };
  return { reason: "no profile named: every service is read, whatever its profiles" };
}

export type EnvironmentChoice =
  | { readonly ok: true; readonly name: string; readonly environment: EnvironmentConfig | undefined }
  | { readonly ok: false; readonly problem: string };

/** `--env NAME`, else the environment slipway.yml marks default, else `production`. */
export function chooseEnvironment(config: SlipwayConfig, requested: string | undefined): EnvironmentChoice {
  const declared = config.environments ?? {};
  const names = Object.keys(declared);
  if (requested !== undefined) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(requested)) {
      return { ok: false, problem: `--env "${requested}": use lowercase letters, digits, - and _` };
    }
    const preview = Object.hasOwn(declared, requested) ? undefined : previewEnvironment(config, requested);
    if (preview) return { ok: true, name: requested, environment: preview };
    if (names.length > 0 && !Object.hasOwn(declared, requested)) {
      return { ok: false, problem: `--env "${requested}": slipway.yml declares the environments ${names.join(", ")}; add "${requested}" under environments: or pick one of those` };
    }
    return { ok: true, name: requested, environment: Object.hasOwn(declared, requested) ? declared[requested] : undefined };
  }
  const defaults = names.filter((name) => declared[name]?.default === true);
  if (defaults.length > 1) {
    return { ok: false, problem: `environments: ${defaults.join(" and ")} are both marked default: true; keep one` };
  }
  const name = defaults[0] ?? "production";
  return { ok: true, name, environment: declared[name] };
}
