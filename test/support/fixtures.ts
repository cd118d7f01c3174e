/** Loads a fixture project through the real loader and the real `docker compose config`. */
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createComposeCli } from "../../src/adapters/compose-cli.js";
import { createGit, type Git } from "../../src/adapters/git.js";
import { runCommand } from "../../src/adapters/run-command.js";
import type { ReleasePlan } from "../../src/plan/plan-release.js";
import { loadProject, type LoadResult } from "../../src/project/load-project.js";
import { planProject, resolveProject, type ResolvedProject } from "../../src/project/resolve-project.js";

export const FIXTURES = resolve(import.meta.dirname, "../fixtures");
export const TAG = "0123456789ab";

/** A fixed commit, so planned image tags do not depend on this repository's history. */
export const fixedGit: Git = {
  ...createGit(),
  head: () => Promise.resolve({ commit: `${TAG}cdef0123456789abcdef012345`, dirty: false }),
};

export function fixtureDir(name: string): string {
  return join(FIXTURES, name);
}

export async function loadFixture(name: string, options: { environment?: string; processEnv?: Record<string, string> } = {}): Promise<LoadResult> {
  return loadProject(
    { dir: fixtureDir(name), processEnv: options.processEnv ?? {}, ...(options.environment ? { environment: options.environment } : {}) },
    { git: fixedGit },
  );
}

export async function resolveFixture(name: string, options: { environment?: string; processEnv?: Record<string, string> } = {}): Promise<ResolvedProject> {
  const loaded = await loadFixture(name, options);
  if (!loaded.project || loaded.problems.length > 0) throw new Error(`fixture ${name}: ${JSON.stringify(loaded.problems)}`);
  return resolveProject(loaded.project, createComposeCli());
}

export function planFor(resolved: ResolvedProject, release = "v7"): ReleasePlan {
  return planProject(resolved, release);
}

/** Replaces the machine-specific fixture path so expectations read the same everywhere. */
export function portable<T>(value: T, dir: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(dir, "<dir>")) as T;
}

/** Runs plain `docker compose config` on a planned file; returns its exit code and stderr. */
export async function composeAccepts(content: unknown, projectName: string): Promise<{ exitCode: number; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-plan-"));
  try {
    const file = join(dir, "planned.yml");
    const { stringify } = await import("yaml");
    writeFileSync(file, stringify(content, { lineWidth: 0, aliasDuplicateObjects: false }));
    const result = await runCommand("docker", ["compose", "-p", projectName, "-f", file, "config", "--quiet"], { env: { ...process.env } });
    return { exitCode: result.exitCode, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
