/**
 * Env files, written by hand because each reader quotes differently and no library writes for
 * these two readers:
 * - for Docker Compose's `env_file:` (its own dotenv parser): single quotes are literal but
 *   cannot hold a quote or a newline; double quotes expand `$`, `\n`, `\"` and `\\`, so `$` and
 *   `\` are escaped there;
 * - for `slipway env export` / `env import` (the `dotenv` package): single, then back quotes are
 *   literal and may span lines; double quotes only as a last resort.
 */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isVariableName(name: string): boolean {
  return KEY.test(name);
}

function composeValue(value: string): string {
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$/g, "\\$").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return `"${escaped}"`;
}

/** An env file Docker Compose reads back to exactly these values. */
export function composeEnvFile(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${composeValue(value)}\n`)
    .join("");
}

function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes("`")) return `\`${value}\``;
  return `"${value.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}

/** Dotenv text `slipway env import` (and the `dotenv` package) reads back, sorted by name. */
export function dotenvText(values: Readonly<Record<string, string>>): string {
  return Object.keys(values)
    .sort()
    .map((key) => `${key}=${dotenvValue(values[key] ?? "")}\n`)
    .join("");
}
