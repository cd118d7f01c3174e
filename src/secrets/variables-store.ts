/**
 * An environment's variables in Slipway's store: each change is a new version holding every
 * value, sealed under the master key; a release records the version it ran with.
 */
import { SlipwayError } from "../core/errors.js";
import type { Store, VariableChanges } from "../store/store.js";
// Not through store.js, whose openStore would load the SQLite driver and Kysely for every
// command that only reads variables (check, config, plan).
import { VariableVersionConflict } from "../store/variable-repository.js";
import type { Sealer } from "./cipher.js";

export interface StoredVariables {
  /** null: no variable was ever set for this environment. */
  readonly version: number | null;
  readonly values: Readonly<Record<string, string>>;
}

const NONE: StoredVariables = { version: null, values: {} };

export function noKeyError(environment: string, keyFile: string): SlipwayError {
  return new SlipwayError("E_SECRET_KEY", `the variables of ${environment} are encrypted, and there is no master key here: set SLIPWAY_MASTER_KEY, or restore the key file ${keyFile}`);
}

export async function readVariables(
  store: Store,
  environmentId: number,
  sealer: Sealer | undefined,
  where: { environment: string; keyFile: string },
  version?: number,
): Promise<StoredVariables> {
  const row = await store.variableVersion(environmentId, version);
  if (!row) return NONE;
  if (!sealer) throw noKeyError(where.environment, where.keyFile);
  const values = JSON.parse(sealer.open(row.sealed, `the variables of ${where.environment} (version ${row.version})`)) as Record<string, string>;
  return { version: row.version, values: Object.assign(Object.create(null) as Record<string, string>, values) };
}

/**
 * Applies a change; a change that changes nothing records no version. Two changes at once: the
 * one that loses the race for the next version number reads again and re-applies its own.
 */
export async function changeVariables(
  store: Store,
  environmentId: number,
  sealer: Sealer,
  change: { set?: Readonly<Record<string, string>>; unset?: readonly string[]; actor: string; environment: string; keyFile: string },
): Promise<{ version: number | null; changes: VariableChanges }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyChange(store, environmentId, sealer, change);
    } catch (error) {
      const conflict = error instanceof VariableVersionConflict || /UNIQUE constraint failed|duplicate key|SQLITE_BUSY|database is locked/i.test((error as Error).message);
      if (attempt >= 10 || !conflict) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
    }
  }
}

async function applyChange(
  store: Store,
  environmentId: number,
  sealer: Sealer,
  change: { set?: Readonly<Record<string, string>>; unset?: readonly string[]; actor: string; environment: string; keyFile: string },
): Promise<{ version: number | null; changes: VariableChanges }> {
  const current = await readVariables(store, environmentId, sealer, change);
  const next: Record<string, string> = { ...current.values };
  const changes: VariableChanges = { set: [], unset: [] };
  for (const [key, value] of Object.entries(change.set ?? {})) {
    if (next[key] !== value) changes.set.push(key);
    next[key] = value;
  }
  for (const key of change.unset ?? []) {
    if (Object.hasOwn(next, key)) {
      delete next[key];
      changes.unset.push(key);
    }
  }
  changes.set.sort();
  changes.unset.sort();
  if (changes.set.length === 0 && changes.unset.length === 0) return { version: current.version, changes };
  const sorted = Object.fromEntries(Object.keys(next).sort().map((key) => [key, next[key]]));
  const row = await store.saveVariableVersion({ environmentId, base: current.version, actor: change.actor, changes, sealed: sealer.seal(JSON.stringify(sorted)) });
  return { version: row.version, changes };
}
