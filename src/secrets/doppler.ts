/**
 * Doppler, through its own CLI (`doppler secrets download --no-file --format json`), so every
 * way the CLI authenticates (DOPPLER_TOKEN, `doppler login`, `doppler setup`) works unchanged.
 * A missing binary or a failing call is an error before anything starts.
 */
import { CommandNotFoundError, runCommand } from "../adapters/run-command.js";
import { SlipwayError } from "../core/errors.js";
import type { SecretsConfig } from "../config/slipway-schema.js";

const TIMEOUT_MS = 60_000;
const METADATA = new Set(["DOPPLER_PROJECT", "DOPPLER_CONFIG", "DOPPLER_ENVIRONMENT"]);

export function dopplerArgs(config: SecretsConfig): string[] {
  return ["secrets", "download", "--no-file", "--format", "json", ...(config.project ? ["--project", config.project] : []), ...(config.config ? ["--config", config.config] : [])];
}

export function describeProvider(config: SecretsConfig): string {
  const where = [config.project, config.config].filter(Boolean).join("/");
  return where ? `doppler (${where})` : "doppler";
}

export async function dopplerSecrets(config: SecretsConfig, env: Readonly<Record<string, string | undefined>>): Promise<Record<string, string>> {
  const shown = describeProvider(config);
  let result;
  try {
    result = await runCommand("doppler", dopplerArgs(config), { env: env, timeoutMs: TIMEOUT_MS });
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new SlipwayError("E_SECRETS_PROVIDER", `slipway.yml takes secrets from Doppler, but the doppler CLI is not installed (not found on PATH): install it (https://docs.doppler.com/docs/install-cli) or remove secrets: from slipway.yml`, { cause: error });
    }
    throw error;
  }
  if (result.exitCode !== 0) {
    const why = (result.stderr || result.stdout).trim().split("\n").filter(Boolean).pop() ?? `exit code ${result.exitCode}`;
    throw new SlipwayError("E_SECRETS_PROVIDER", `${shown} could not give the secrets: ${why} (check DOPPLER_TOKEN, or run doppler login / doppler setup)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch (error) {
    throw new SlipwayError("E_SECRETS_PROVIDER", `${shown} printed something that is not JSON; is the doppler CLI recent enough?`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SlipwayError("E_SECRETS_PROVIDER", `${shown} printed JSON that is not an object of secrets`);
  }
  const secrets: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(parsed)) {
    // Doppler's own names for where the secrets came from are not secrets (nor the app's).
    if (METADATA.has(key)) continue;
    if (typeof value === "string") secrets[key] = value;
    else if (value !== null && value !== undefined) secrets[key] = JSON.stringify(value);
  }
  return secrets;
}
