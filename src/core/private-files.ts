/**
 * Slipway's state under $SLIPWAY_HOME (the store, router files, planned releases, build trees)
 * is the owner's alone: directories 0700, files 0600. Modes given to mkdir and open apply only
 * to what they create, so what already exists (a home from an older version) is chmod'ed too.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** The directory (and any missing parent) with mode 0700. */
export function privateDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(path, PRIVATE_DIR);
  return path;
}

/** `path` and every directory between `root` and it, each with mode 0700 (`path` must lie under `root`). */
export function privateDirsUnder(root: string, path: string): string {
  let current = privateDir(root);
  for (const part of relative(root, path).split(sep).filter((p) => p !== "" && p !== ".")) {
    if (part === "..") throw new Error(`${path} is not under ${root}`);
    current = privateDir(join(current, part));
  }
  return path;
}

/** Written whole to a temporary file (0600) and renamed over `path`: a crash never leaves half a file. */
export function writePrivateFile(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  privateDir(dirname(path));
  writeFileSync(temporary, text, { mode: PRIVATE_FILE });
  chmodSync(temporary, PRIVATE_FILE); // a temporary file left by a crash kept its old mode
  renameSync(temporary, path);
}

/** Mode 0600 for each of these files that exists. */
export function makePrivate(...paths: readonly string[]): void {
  for (const path of paths) if (existsSync(path)) chmodSync(path, PRIVATE_FILE);
}
