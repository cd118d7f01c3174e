/**
 * The variables a compose project is interpolated with, layered: later sources win. Each
 * value remembers which source it came from, so `slipway check` can say.
 */
import { missingReferences, type Lookup } from "./interpolation.js";
import type { LocatedReference, SourcePosition } from "./compose-source.js";

export interface VariableSource {
  /** Shown to the user: ".env", "process environment", "slipway env (v3)", "doppler". */
  readonly name: string;
  readonly values: Readonly<Record<string, string | undefined>>;
  /**
   * Slipway's store and a provider: every value is a secret, and a value set here also wins over
   * a service's own `environment:` and `env_file:` values of the same name.
   */
  readonly secret?: boolean;
  /** For the store: which version of the environment's variables these are. */
  readonly version?: number;
}

export interface ResolvedVariables {
  readonly values: Readonly<Record<string, string>>;
  readonly origin: Readonly<Record<string, string>>;
  /** Names whose value is a secret: from a secret source, or named like one. */
  readonly secretNames: readonly string[];
  /** The winning values from secret sources, which also override the containers' own. */
  readonly overrides: Readonly<Record<string, string>>;
}

/** Names that mark a value secret whatever its source. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY|_KEY$|^KEY$|_PASS$|_PWD$|DSN$|DATABASE_URL$|_AUTH$)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

function record(): Record<string, string> {
  // Null-prototype records: a variable may be named `constructor` or `__proto__`.
  return Object.create(null) as Record<string, string>;
}

export function layerVariables(sources: readonly VariableSource[]): ResolvedVariables {
  const values = record();
  const origin = record();
  const fromSecret = new Set<string>();
  for (const source of sources) {
    for (const [key, value] of Object.entries(source.values)) {
      if (value === undefined) continue;
      values[key] = value;
      origin[key] = source.name;
      if (source.secret) fromSecret.add(key);
      else fromSecret.delete(key);
    }
  }
  const overrides = record();
  for (const key of fromSecret) overrides[key] = values[key] ?? "";
  const secretNames = Object.keys(values).filter((key) => fromSecret.has(key) || isSecretName(key));
  return { values, origin, secretNames, overrides };
}

export function lookupIn(variables: ResolvedVariables): Lookup {
  return (name) => (Object.hasOwn(variables.values, name) ? variables.values[name] : undefined);
}

export interface MissingVariable {
  readonly name: string;
  readonly position: SourcePosition;
  readonly message?: string;
}

/** Every reference that would be unset, in file order, each with its position. */
export function findMissingVariables(references: readonly LocatedReference[], variables: ResolvedVariables): MissingVariable[] {
  const lookup = lookupIn(variables);
  const missing: MissingVariable[] = [];
  for (const { reference, position, nested } of references) {
    for (const gap of missingReferences([reference], lookup)) {
      missing.push({ name: gap.name, position: nested.get(gap.offset) ?? position, ...(gap.message ? { message: gap.message } : {}) });
    }
  }
  return missing;
}

/** Where each referenced variable's value would come from (for `slipway check`). */
export function variableOrigins(references: readonly LocatedReference[], variables: ResolvedVariables): Array<{ name: string; origin: string | undefined }> {
  const names = [...new Set(references.map((r) => r.reference.name))].sort();
  return names.map((name) => ({ name, origin: Object.hasOwn(variables.origin, name) ? variables.origin[name] : undefined }));
}
