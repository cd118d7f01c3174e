/**
 * The config of a project without slipway.yml, and a quick unvalidated read of the keys that
 * choose compose files, so compose can start before the schema library has even loaded.
 * A test keeps DEFAULT_CONFIG equal to what the schema makes of an empty file.
 */
import { parse } from "yaml";
import type { SlipwayConfig } from "./slipway-schema.js";

export const DEFAULT_CONFIG: SlipwayConfig = Object.freeze({ retain: 5 });

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");

/**
 * The settings that pick the compose files, their profiles and the environment, read without validation. Only
 * a guess: callers use it to start work early, and check the guess against the validated config.
 */
export function provisionalConfig(text: string): SlipwayConfig | undefined {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch {
    return undefined;
  }
  if (raw === null || raw === undefined) return DEFAULT_CONFIG;
  if (typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const { project, compose, profiles, environments } = raw as Record<string, unknown>;
  if (project !== undefined && typeof project !== "string") return undefined;
  if (compose !== undefined && !isStringList(compose)) return undefined;
  if (profiles !== undefined && !isStringList(profiles)) return undefined;
  if (environments !== undefined && (typeof environments !== "object" || environments === null)) return undefined;
  return {
    ...DEFAULT_CONFIG,
    ...(project ? { project } : {}),
    ...(compose ? { compose } : {}),
    ...(profiles ? { profiles } : {}),
    ...(environments ? { environments: environments as NonNullable<SlipwayConfig["environments"]> } : {}),
  };
}
