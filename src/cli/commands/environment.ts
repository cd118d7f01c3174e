/** For the commands that look at an environment rather than deploy it: name it, open the runtime. */
import { loadProject, type LoadedProject } from "../../project/load-project.js";
import { problemsError } from "../../project/problem.js";
import type { CommandContext } from "../context.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { projectOptions, type ProjectFlags } from "./load.js";

export interface OpenEnvironment extends AsyncDisposable {
  readonly project: LoadedProject;
  readonly runtime: Runtime;
  readonly projectId: number;
  readonly environmentId: number;
}

/**
 * Missing variables do not matter to looking: only the project's name and environment do. With
 * `variables`, the store's and the provider's are read too (so that output can be redacted of them).
 */
export async function openEnvironment(ctx: CommandContext, flags: ProjectFlags, options: { variables?: boolean } = {}): Promise<OpenEnvironment> {
  const loaded = await loadProject(
    { dir: flags.dir ?? ctx.io.cwd, processEnv: ctx.io.env, ...(options.variables ? { variableSources: ctx.variableSources } : {}), ...projectOptions(flags) },
    { git: ctx.git },
  );
  const blocking = loaded.problems.filter((p) => p.code !== "E_VARIABLES_MISSING");
  if (!loaded.project || blocking.length > 0) throw problemsError(blocking);
  const project = loaded.project;
  const runtime = await openRuntime(ctx);
  const store = runtime.deps.store;
  const projectId = await store.ensureProject(project.name, project.dir);
  const environmentId = await store.ensureEnvironment(projectId, project.environment.name);
  return { project, runtime, projectId, environmentId, [Symbol.asyncDispose]: () => runtime[Symbol.asyncDispose]() };
}

export function ago(date: Date, now = Date.now()): string {
  const s = Math.round((now - date.getTime()) / 1000);
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  if (s < 129_600) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n") + "\n";
}
