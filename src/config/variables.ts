/**
 * The variables a compose project is interpolated with, layered: later sources win. Each
 * value remembers which source it came from, so `slipway check` can say.
 */
import { missingReferences, type Lookup } from "./interpolation.js";
import type { LocatedReference, SourcePosition } from "./compose-source.js";

export interface VariableSource {
  /** Shown to the user: ".env", "process environment", "slipway". */
  readonly name: string;
  readonly values: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedVariables {
  readonly values: Readonly<Record<string, string>>;
  readonly origin: Readonly<Record<string, string>>;
}

export function layerVariables(sources: readonly VariableSource[]): ResolvedVariables {
  // Null-prototype records: a variable may be named `constructor` or `__proto__`.
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const origin: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const source of sources) {
    for (const [key, value] of Object.entries(source.values)) {
      if (value === undefined) continue;
      values[key] = value;
      origin[key] = source.name;
    }
  }
  return { values, origin };
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
