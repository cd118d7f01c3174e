/**
 * Which compose files an environment uses when nothing names them: the base file plus the
 * environment's override (`docker-compose.prod.yml` for `production`), the override alone when
 * it is the only file, or when it defines every service itself beside a base meant for
 * development (merging would carry the developer's files into production). Reads the files'
 * shape only; compose still reads their meaning.
 */
import { basename, posix } from "node:path";
import { parse } from "yaml";

const BASE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const ALIASES: Record<string, readonly string[]> = {
  production: ["prod", "production"],
  prod: ["prod", "production"],
  development: ["dev", "development"],
  dev: ["dev", "development"],
  staging: ["staging", "stage"],
};
/** Env files named for a developer's machine: `.env.dev`, `.env.local`, `dev.env`. */
const DEVELOPER_ENV_FILE = /(^|[._-])(dev|development|local)([._-]|$)/i;

/** What the layout needs to know of the project's files (paths relative to its directory). */
export interface ProjectFiles {
  exists(file: string): boolean;
  /** The file's text; undefined when it cannot be read. */
  read?(file: string): string | undefined;
  isDirectory?(path: string): boolean;
}

export type LayoutChoice =
  | { readonly ok: true; readonly files: readonly string[]; readonly reason: string }
  | { readonly ok: false; readonly problem: string };

type Json = Record<string, unknown>;

function servicesOf(text: string | undefined): Record<string, Json> | undefined {
  if (text === undefined) return undefined;
  try {
    const doc = parse(text, { merge: true }) as unknown;
    const services = (doc as Json | null)?.services;
    return services && typeof services === "object" ? (services as Record<string, Json>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every service has its own build: or image: (or extends one), and at least one builds. */
function definesEveryService(services: Record<string, Json> | undefined): boolean {
  const all = Object.values(services ?? {});
  return all.length > 0 && all.every((s) => s.build || s.image || s.extends) && all.some((s) => s.build);
}

const relative = (path: string): string => posix.normalize(path).replace(/\/+$/, "") || ".";

function contextsOf(services: Record<string, Json>): string[] {
  return Object.values(services).flatMap((s) => {
    const context = typeof s.build === "string" ? s.build : (s.build as Json | undefined)?.context;
    return typeof context === "string" && !/^[a-z]+:\/\//i.test(context) ? [relative(context)] : [];
  });
}

function envFilesOf(service: Json): Array<{ path: string; required: boolean }> {
  const raw = service.env_file;
  const list = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw];
  return list.flatMap((entry) => {
    if (typeof entry === "string") return [{ path: entry, required: true }];
    const { path, required } = (entry ?? {}) as Json;
    return typeof path === "string" ? [{ path, required: required !== false }] : [];
  });
}

function bindSourcesOf(service: Json): string[] {
  const volumes = Array.isArray(service.volumes) ? (service.volumes as unknown[]) : [];
  return volumes.flatMap((volume) => {
    const source = typeof volume === "string" ? volume.split(":")[0] : (volume as Json | null)?.type === "bind" ? (volume as Json).source : undefined;
    return typeof source === "string" && source.startsWith(".") ? [source] : [];
  });
}

/** What in a base file only a developer's machine has: its own env files, bind mounts of the source. */
export function developerSettings(text: string | undefined, files: ProjectFiles): string[] {
  const services = servicesOf(text);
  if (!services) return [];
  const contexts = contextsOf(services);
  const found = new Set<string>();
  for (const service of Object.values(services)) {
    for (const file of envFilesOf(service)) {
      if (DEVELOPER_ENV_FILE.test(basename(file.path)) || (file.required && !files.exists(file.path))) found.add(`env_file ${file.path}`);
    }
    for (const source of bindSourcesOf(service)) {
      const path = relative(source);
      const inside = contexts.some((c) => c === "." || path.startsWith(`${c}/`)) && files.isDirectory?.(path) === true;
      if (path === "." || contexts.includes(path) || inside) found.add(`a bind mount of ${source}`);
    }
  }
  return [...found];
}

/** The names an environment's override may have, in order of preference. */
function overrideNames(base: string | undefined, environmentName: string): string[] {
  const stems = base ? [base.startsWith("docker-") ? "docker-compose" : "compose"] : ["compose", "docker-compose"];
  const suffixes = (Object.hasOwn(ALIASES, environmentName) ? ALIASES[environmentName] : undefined) ?? [environmentName];
  return stems.flatMap((stem) => suffixes.flatMap((suffix) => [`${stem}.${suffix}.yml`, `${stem}.${suffix}.yaml`]));
}

const OVERRIDE_FILES = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

/** Compose merges an override file only when run without -f, for a developer's machine: say it is left out. */
export function inferComposeFiles(environmentName: string, files: ProjectFiles): LayoutChoice {
  const choice = inferFromLayout(environmentName, files);
  const override = OVERRIDE_FILES.find((f) => files.exists(f));
  if (!choice.ok || !override) return choice;
  return { ...choice, reason: `${choice.reason}; ${override} is left out, as compose leaves it out whenever files are named` };
}

function inferFromLayout(environmentName: string, files: ProjectFiles): LayoutChoice {
  const base = BASE_FILES.find((f) => files.exists(f));
  const override = overrideNames(base, environmentName).find((f) => files.exists(f));
  if (!base) {
    if (override) return { ok: true, files: [override], reason: `${override} is the only compose file for ${environmentName}` };
    return { ok: false, problem: `no compose file found: create docker-compose.yml (or compose.yaml), or list your files under compose: in slipway.yml` };
  }
  if (!override) return { ok: true, files: [base], reason: `${base} alone: there is no ${environmentName} override beside it (${overrideNames(base, environmentName)[0] ?? ""})` };
  const developer = developerSettings(files.read?.(base), files);
  if (developer.length > 0 && definesEveryService(servicesOf(files.read?.(override)))) {
    return {
      ok: true,
      files: [override],
      reason: `${override} alone: it defines every service itself, and ${base} is for development (${developer.join(", ")}), which merging would carry into ${environmentName}`,
    };
  }
  return { ok: true, files: [base, override], reason: `${base} with its ${environmentName} override ${override}, merged in that order (docker compose -f ${base} -f ${override})` };
}
