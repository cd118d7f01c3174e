/**
 * Which compose files a project's environment uses, in merge order: what slipway.yml says,
 * else the base file plus the environment's override (`docker-compose.prod.yml` for
 * `production`, `docker-compose.<env>.yml` otherwise).
 */
import type { EnvironmentConfig, SlipwayConfig } from "./slipway-schema.js";

const BASE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const ALIASES: Record<string, readonly string[]> = {
  production: ["prod", "production"],
  prod: ["prod", "production"],
  development: ["dev", "development"],
  dev: ["dev", "development"],
  staging: ["staging", "stage"],
};

export type ComposeFileChoice =
  | { readonly ok: true; readonly files: readonly string[]; readonly inferred: boolean }
  | { readonly ok: false; readonly problem: string };

export function chooseComposeFiles(options: {
  readonly config: SlipwayConfig;
  readonly environmentName: string;
  readonly environment: EnvironmentConfig | undefined;
  readonly exists: (file: string) => boolean;
}): ComposeFileChoice {
  const { config, environmentName, environment, exists } = options;
  const declared = environment?.compose ?? config.compose;
  if (declared) return { ok: true, files: declared, inferred: false };
  const base = BASE_FILES.find(exists);
  if (!base) {
    return { ok: false, problem: `no compose file found: create docker-compose.yml (or compose.yaml), or list your files under compose: in slipway.yml` };
  }
  const stem = base.startsWith("docker-") ? "docker-compose" : "compose";
  const suffixes = (Object.hasOwn(ALIASES, environmentName) ? ALIASES[environmentName] : undefined) ?? [environmentName];
  const override = suffixes
    .flatMap((suffix) => [`${stem}.${suffix}.yml`, `${stem}.${suffix}.yaml`])
    .find(exists);
  return { ok: true, files: override ? [base, override] : [base], inferred: true };
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
