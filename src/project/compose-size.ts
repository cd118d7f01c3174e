/**
 * A limit on the compose files' total size, checked before anything reads them: YAML parsing and
 * `docker compose config` grow with the input (a 5 MB file kept `check` busy for minutes and
 * hundreds of MB), and real projects' files are a few KB.
 */
import { statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Problem } from "./problem.js";

/** 1 MiB, for all of an environment's compose files together. */
export const COMPOSE_FILES_LIMIT = 1024 * 1024;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // a missing file is reported as such when the files are read
  }
}

export function composeSizeProblem(dir: string, files: readonly string[], limit = COMPOSE_FILES_LIMIT): Problem | undefined {
  const sizes = files.map((file) => ({ file, size: sizeOf(isAbsolute(file) ? file : join(dir, file)) }));
  const total = sizes.reduce((sum, s) => sum + s.size, 0);
  if (total <= limit) return undefined;
  const largest = [...sizes].sort((a, b) => b.size - a.size)[0];
  const mb = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(2))} MiB`;
  return {
    code: "E_COMPOSE_INVALID",
    message: `the compose files (${files.join(", ")}) hold ${mb(total)} together, more than the ${mb(limit)} Slipway reads${largest ? ` (${largest.file}: ${mb(largest.size)})` : ""}: generated or pasted data does not belong in a compose file; move it to files the services mount or read`,
  };
}
