/** Loading the project an operation acts on: input problems become one error with every problem listed. */
import { loadProject, type LoadedProject, type LoadOptions } from "../project/load-project.js";
import { problemsError } from "../project/problem.js";
import { loadAndResolve, secretValues, type ResolvedProject } from "../project/resolve-project.js";
import { reconcile, type Reconciled } from "../pipeline/reconcile.js";
import type { App } from "./app.js";

/** Which project (its directory) and which of its environments (default: the one slipway.yml marks). */
export interface ProjectRequest {
  readonly dir: string;
  readonly environment?: string;
  /** The compose files, in merge order, relative to `dir` (default: slipway.yml's, else COMPOSE_FILE, else inferred). */
  readonly files?: readonly string[];
  /** The compose profiles to enable (default: slipway.yml's, else COMPOSE_PROFILES, else every service). */
  readonly profiles?: readonly string[];
  /** The project's name when slipway.yml gives none (default: the directory's name): a registered project's. */
  readonly name?: string;
}

export interface OpenEnvironment {
  readonly project: LoadedProject;
  readonly projectId: number;
  readonly environmentId: number;
  /** What an interrupted deployment had left, put right as the environment was opened. */
  readonly reconciled: Reconciled;
}

export async function loadOrThrow(app: App, request: ProjectRequest): Promise<LoadedProject> {
  const loaded = await loadProject({ dir: request.dir, processEnv: app.env, variableSources: app.variableSources, ...projectOptions(request) }, { git: app.git, configCache: app.configCache });
  if (loaded.problems.length > 0 || !loaded.project) throw problemsError(loaded.problems);
  return loaded.project;
}

/** The project resolved by compose; its secret values join the redactor. */
export async function resolveOrThrow(app: App, request: ProjectRequest & { tag?: string }): Promise<ResolvedProject> {
  const { loaded, resolved } = await loadAndResolve({ dir: request.dir, processEnv: app.env, variableSources: app.variableSources, ...projectOptions(request), ...(request.tag ? { tag: request.tag } : {}) }, app);
  if (!resolved) throw problemsError(loaded.problems);
  app.redactor.add(secretValues(resolved));
  return resolved;
}

/** Fails on what compose or the linter says cannot be deployed. */
export function assertDeployable(resolved: ResolvedProject): void {
  if (resolved.lint.errors.length > 0) throw problemsError(resolved.lint.errors.map((message) => ({ code: "E_NOT_DEPLOYABLE", message })));
}

/**
 * For operations that look at an environment rather than deploy it: missing variables do not
 * matter, only the project's name and environment do. With `variables`, the store's and the
 * provider's are read too (so that output can be redacted of them).
 */
export async function openEnvironment(app: App, request: ProjectRequest, options: { variables?: boolean; withoutCommit?: boolean } = {}): Promise<OpenEnvironment> {
  const loaded = await loadProject(
    { dir: request.dir, processEnv: app.env, ...(options.variables ? { variableSources: app.variableSources } : {}), ...(options.withoutCommit ? { withoutCommit: true } : {}), ...projectOptions(request) },
    { git: app.git, configCache: app.configCache },
  );
  const blocking = loaded.problems.filter((p) => p.code !== "E_VARIABLES_MISSING");
  if (!loaded.project || blocking.length > 0) throw problemsError(blocking);
  const project = loaded.project;
  const deps = await app.deps();
  const projectId = await deps.store.ensureProject(project.name, project.dir);
  const environmentId = await deps.store.ensureEnvironment(projectId, project.environment.name);
  const reconciled = await reconcile(deps, { project: project.name, environment: project.environment.name, environmentId, dir: project.dir });
  return { project, projectId, environmentId, reconciled };
}

/**
 * The environment, with its variables read too when its registry_login takes its password from
 * one: which it does is known only once the project is loaded, so it is loaded again then (and
 * only then: reading the variables may ask a secrets provider).
 */
export async function openEnvironmentForRegistry(app: App, request: ProjectRequest): Promise<OpenEnvironment> {
  const env = await openEnvironment(app, request);
  return env.project.environment.settings?.registry_login ? openEnvironment(app, request, { variables: true }) : env;
}

/** What a request says about which project it is: its environment, compose files and profiles. */
export function projectOptions(request: Omit<ProjectRequest, "dir">): Pick<LoadOptions, "environment" | "files" | "profiles" | "name"> {
  return {
    ...(request.name ? { name: request.name } : {}),
    ...(request.environment ? { environment: request.environment } : {}),
    ...(request.files?.length ? { files: request.files } : {}),
    ...(request.profiles?.length ? { profiles: request.profiles } : {}),
  };
}
