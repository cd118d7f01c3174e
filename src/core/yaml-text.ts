/**
 * YAML text of plain JSON data (objects, arrays, strings, numbers, booleans, null), in block
 * style, for the compose files Slipway plans and prints.
 *
 * Written here rather than with the `yaml` package's stringify, which Slipway uses for
 * everything it reads: that builds a whole document model first, and on a 100-service plan
 * took 40 ms a command, cold (a fifth of what `slipway plan` adds to `docker compose config`).
 * JSON data needs no model: a string is written plain only when it cannot be read back as
 * anything else, and otherwise double-quoted as JSON quotes it (YAML's double-quoted style is
 * a superset of JSON's strings). Tests read every output back with the `yaml` package.
 */

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/** Words YAML 1.1 or 1.2 reads as booleans or null when plain. */
const KEYWORDS = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
/** A plain scalar that stays a string: a letter, "_" or "/" first, no space, no indicator that could end it. */
const PLAIN = /^[A-Za-z_/][\w./@%+=-]*(?::[\w./@%+=-]+)*$/;
/** Characters YAML does not allow unescaped in a double-quoted scalar, which JSON.stringify leaves as they are. */
const UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/g;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${value} has no YAML form here: only finite numbers`);
    return String(value);
  }
  if (PLAIN.test(value) && !KEYWORDS.test(value)) return value;
  return JSON.stringify(value).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function isScalar(value: Json): value is string | number | boolean | null {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return true;
  const proto = typeof value === "object" ? (Object.getPrototypeOf(value) as unknown) : undefined;
  if (Array.isArray(value) || proto === Object.prototype || proto === null) return false;
  throw new Error(`${typeof value === "object" ? (value as object).constructor.name : typeof value} is not JSON data: it has no YAML form here`);
}

function entries(value: Json): Array<[string, Json]> {
  return Object.entries(value as Record<string, Json | undefined>).filter((entry): entry is [string, Json] => entry[1] !== undefined);
}

/** Lines of a non-empty collection, each indented by `indent` spaces. */
function block(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly Json[]) {
      if (isScalar(item) || isEmpty(item)) {
        out.push(`${indent}- ${inline(item)}`);
        continue;
      }
      // The item's first line follows the dash; the rest line up under it.
      const inner: string[] = [];
      block(item, `${indent}  `, inner);
      out.push(`${indent}- ${(inner[0] ?? "").trimStart()}`, ...inner.slice(1));
    }
    return;
  }
  for (const [key, item] of entries(value)) {
    if (isScalar(item) || isEmpty(item)) out.push(`${indent}${scalar(key)}: ${inline(item)}`);
    else {
      out.push(`${indent}${scalar(key)}:`);
      block(item, `${indent}  `, out);
    }
  }
}

const isEmpty = (value: Json): boolean => (Array.isArray(value) ? value.length === 0 : entries(value).length === 0);

function inline(value: Json): string {
  if (isScalar(value)) return scalar(value);
  return Array.isArray(value) ? "[]" : "{}";
}

/** The data (JSON data: anything else throws) as a YAML document, ending with a newline. */
export function toYaml(value: unknown): string {
  const data = value as Json;
  if (isScalar(data) || isEmpty(data)) return `${inline(data)}\n`;
  const out: string[] = [];
  block(data, "", out);
  return `${out.join("\n")}\n`;
}

export type { Json as YamlData };
