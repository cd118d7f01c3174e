/** Shared by the commands that need a loaded, resolved project: input problems become one error. */
import { loadProject, type LoadedProject, type LoadOptions } from "../../project/load-project.js";
import { problemsError } from "../../project/problem.js";
import { loadAndResolve, secretValues, type ResolvedProject } from "../../project/resolve-project.js";
import type { CommandContext } from "../context.js";

export interface ProjectFlags {
  readonly env?: string;
  readonly dir?: string;
  /** `-f/--file`, repeatable. */
  readonly file?: readonly string[];
  /** `--profile`, repeatable. */
  readonly profile?: readonly string[];
}

/** What the common flags say about the project: its environment, compose files and profiles. */
export function projectOptions(flags: ProjectFlags): Pick<LoadOptions, "environment" | "files" | "profiles"> {
  return {
    ...(flags.env ? { environment: flags.env } : {}),
    ...(flags.file?.length ? { files: flags.file } : {}),
    ...(flags.profile?.length ? { profiles: flags.profile } : {}),
  };
}

export async function loadOrThrow(ctx: CommandContext, flags: ProjectFlags): Promise<LoadedProject> {
  const dir = flags.dir ?? ctx.io.cwd;
  const loaded = await loadProject({ dir, processEnv: ctx.io.env, variableSources: ctx.variableSources, ...projectOptions(flags) }, { git: ctx.git });
  if (loaded.problems.length > 0 || !loaded.project) throw problemsError(loaded.problems);
  return loaded.project;
}

export async function resolveOrThrow(ctx: CommandContext, flags: ProjectFlags): Promise<ResolvedProject> {
  const dir = flags.dir ?? ctx.io.cwd;
  const { loaded, resolved } = await loadAndResolve({ dir, processEnv: ctx.io.env, variableSources: ctx.variableSources, ...projectOptions(flags) }, ctx);
  if (!resolved) throw problemsError(loaded.problems);
  ctx.redactor.add(secretValues(resolved));
  return resolved;
}
