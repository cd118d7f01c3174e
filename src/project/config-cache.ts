/**
 * The validated slipway.yml of texts this build has validated before, so that a command that
 * only reads an environment (status, releases) need not load the schema library: building the
 * schema and validating take about a quarter of such a command's time.
 *
 * An entry is keyed by what decides the result, and nothing else: the build (the schema's code
 * and its libraries) and the file's exact text. A changed file, or another build, is another key,
 * so no entry ever needs invalidating; only texts that validated are kept, and only when their
 * config survives JSON unchanged.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { PRIVATE_FILE, privateDir } from "../core/private-files.js";
import type { SlipwayConfig } from "../config/slipway-schema.js";

export interface ConfigCache {
  /** The config this text validated to, if this build validated it before. */
  read(text: string): SlipwayConfig | undefined;
  /** Keeps the config a text validated to; a failure to write only costs the next read its speed. */
  write(text: string, config: SlipwayConfig): void;
}

export interface FileConfigCacheOptions {
  /** The directory of the entries, one file each (created 0700 on the first write). */
  readonly dir: string;
  /** Names the code that validates: an entry of another build is never read. */
  readonly build: string;
  /** Entries kept; beyond it the oldest go (default 50). */
  readonly max?: number;
}

const DEFAULT_MAX_ENTRIES = 50;

export function fileConfigCache(options: FileConfigCacheOptions): ConfigCache {
  const pathOf = (text: string): string => join(options.dir, `${createHash("sha256").update(options.build).update("\0").update(text).digest("hex")}.json`);
  const prune = (): void => {
    const entries = readdirSync(options.dir).filter((name) => name.endsWith(".json"));
    const excess = entries.length - (options.max ?? DEFAULT_MAX_ENTRIES);
    if (excess <= 0) return;
    const byAge = entries.map((name) => ({ name, mtime: statSync(join(options.dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
    for (const { name } of byAge.slice(0, excess)) rmSync(join(options.dir, name), { force: true });
  };
  return {
    read(text) {
      try {
        return JSON.parse(readFileSync(pathOf(text), "utf8")) as SlipwayConfig;
      } catch {
        return undefined; // none yet, or unreadable: validate again
      }
    },
    write(text, config) {
      const json = JSON.stringify(config);
      // Only what reads back exactly (no undefined values, no class instances) may stand in for validation.
      if (!isDeepStrictEqual(JSON.parse(json), config)) return;
      const path = pathOf(text);
      // Another process may write the same entry at once: each its own temporary file, renamed whole.
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        privateDir(options.dir);
        writeFileSync(temporary, json, { mode: PRIVATE_FILE });
        renameSync(temporary, path);
        prune();
      } catch {
        // A read-only or full home: the config was validated all the same.
        rmSync(temporary, { force: true });
      }
    },
  };
}
