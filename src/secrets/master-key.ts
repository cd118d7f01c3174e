/**
 * Where the master key lives: `SLIPWAY_MASTER_KEY` when set, else `$SLIPWAY_HOME/master.key`,
 * generated on first use with mode 0600 (created exclusively, so two first uses agree on one key).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SlipwayError } from "../core/errors.js";
import { createSealer, generateKeyText, keyMaterial, type Sealer } from "./cipher.js";

export const KEY_FILE = "master.key";
export const KEY_VARIABLE = "SLIPWAY_MASTER_KEY";

export function keyFilePath(home: string): string {
  return join(home, KEY_FILE);
}

function readKeyFile(path: string): string {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SlipwayError("E_SECRET_KEY", `the key file ${path} can be read by others (mode ${mode.toString(8)}): run chmod 600 ${path}`);
  }
  return readFileSync(path, "utf8");
}

function createKeyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${generateKeyText()}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * The sealer for this home and environment. `create`: generate the key file when there is none
 * (for writes); otherwise a missing key is undefined (nothing was ever sealed here).
 */
export function masterSealer(home: string, env: Readonly<Record<string, string | undefined>>, options: { create: boolean }): Sealer | undefined {
  const fromEnv = env[KEY_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== "") return createSealer(keyMaterial(fromEnv, KEY_VARIABLE), KEY_VARIABLE);
  const path = keyFilePath(home);
  if (!existsSync(path)) {
    if (!options.create) return undefined;
    createKeyFile(path);
  }
  return createSealer(keyMaterial(readKeyFile(path), path), path);
}

/**
 * A key rotation in two halves around the store's transaction: the new key is written beside the
 * old one first (so it exists before anything is sealed under it), then renamed over it.
 */
export function pendingKeyPath(home: string): string {
  return `${keyFilePath(home)}.new`;
}

export function writePendingKey(home: string, keyText: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(pendingKeyPath(home), `${keyText}\n`, { mode: 0o600 });
  chmodSync(pendingKeyPath(home), 0o600);
}

export function commitPendingKey(home: string): void {
  renameSync(pendingKeyPath(home), keyFilePath(home));
}
