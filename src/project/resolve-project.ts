/**
 * Asks Docker Compose for the resolved model of a loaded project, then classifies its
 * services and lints them for a zero-downtime deploy. Touches the compose CLI, never the engine.
 */
import { join } from "node:path";
import type { ComposeCli, ComposeTarget } from "../adapters/compose-cli.js";
import { classify, releaseTaskCandidate, type Classification, type Route } from "../plan/classify.js";
import type { ComposeModel } from "../plan/compose-model.js";
import { lintForZeroDowntime, type LintReport } from "../plan/lint.js";
import { swarmReplicas } from "../plan/swarm-replicas.js";
import { planRelease, type ReleasePlan } from "../plan/plan-release.js";
import { certificateName, hostNames, tlsPlan, withTls } from "../plan/tls.js";
import { applyRuntimeVariables, secretValuesOf } from "../plan/runtime-variables.js";
import { servicesWhoseImageNames } from "../config/compose-source.js";
import { isSlipwayError } from "../core/errors.js";
import { environmentDriver } from "../config/environment-driver.js";
import type { EnvironmentConfig } from "../config/slipway-schema.js";
import { loadProject, type LoadDeps, type LoadedProject, type LoadOptions, type LoadResult, type StagedProject } from "./load-project.js";
import { renderProblem } from "./problem.js";
import { pathsOutsideTree, treeRoot } from "./tree-paths.js";

export interface ResolvedProject {
  readonly project: LoadedProject;
  readonly model: ComposeModel;
  readonly classification: Classification;
  readonly lint: LintReport;
}

export function composeTarget(project: StagedProject, extraVariables: Readonly<Record<string, string>> = {}): ComposeTarget {
  return {
    files: project.composeFiles.map((f) => join(project.dir, f)),
    projectDirectory: project.dir,
    projectName: `${project.name}-${project.environment.name}`,
    variables: { ...project.variables.values, ...extraVariables },
    ...(project.profiles ? { profiles: project.profiles } : {}),
  };
}

type Json = Record<string, unknown>;

/**
 * The model compose reads for the project's profiles, plus the release task whatever its own
 * profiles: it is run by name, which enables it in compose too (`compose run release`).
 */
export async function readModel(compose: ComposeCli, target: ComposeTarget, config: StagedProject["config"]): Promise<ComposeModel> {
  const model = await compose.config(target);
  const task = releaseTaskCandidate(config);
  if (!target.profiles || task === undefined || task in model.services) return model;
  const { profiles: _profiles, ...everyProfile } = target;
  let extra: ComposeModel;
  try {
    extra = await compose.config({ ...everyProfile, services: [task] });
  } catch (error) {
    if (isSlipwayError(error, "E_COMPOSE_INVALID")) return model; // No service of that name: no release task.
    throw error;
  }
  const merged = (key: string): Json | undefined => {
    const both = { ...(extra[key] as Json | undefined), ...(model[key] as Json | undefined) };
    return Object.keys(both).length > 0 ? both : undefined;
  };
  const tops = Object.fromEntries(["networks", "volumes", "secrets", "configs"].flatMap((key) => (merged(key) ? [[key, merged(key)]] : [])));
  return { ...model, ...tops, services: { ...extra.services, ...model.services } };
}

/** An environment's `hosts:` and `listen:` apply to its first route unless the route says otherwise. */
export function routesForEnvironment(routes: readonly Route[], settings: EnvironmentConfig | undefined): Route[] {
  return routes.map((route, index) => {
    if (index > 0 || !settings) return route;
    return {
      ...route,
      ...(settings.listen ? { listen: settings.listen } : {}),
      hosts: settings.hosts ?? route.hosts,
    };
  });
}

export function resolveModel(project: LoadedProject, composed: ComposeModel): ResolvedProject {
  const model = applyRuntimeVariables(composed, project.variables.overrides);
  const order = [...new Set(project.sources.flatMap((s) => s.serviceNames))];
  const classified = classify(model, project.config, { order, taggedImages: servicesWhoseImageNames(project.sources, "TAG") });
  const settings = project.environment.settings;
  const tls = tlsPlan(project.config, settings);
  const routes = routesForEnvironment(classified.routes, settings);
  const problems = "problem" in tls && hostNames(routes).length > 0 ? [...classified.problems, tls.problem] : classified.problems;
  const certificate = certificateName(project.name, project.environment.name);
  const classification = { ...classified, problems, routes: "problem" in tls ? routes : withTls(routes, tls, { certificate, hsts: settings?.hsts ?? false }) };
  const lint = lintForZeroDowntime(model, classification);
  const outside = pathsOutsideTree({ model, sources: project.sources, dir: project.dir, root: treeRoot(project.dir) }).map(renderProblem);
  return { project, model, classification, lint: { ...lint, errors: [...outside, ...lint.errors, ...replicaProblems(project, model, classification)] } };
}

/** On a swarm, `replicas:` must name app services. */
function replicaProblems(project: LoadedProject, model: ComposeModel, classification: Classification): string[] {
  const settings = project.environment.settings;
  if (environmentDriver(settings) !== "swarm") return [];
  const apps = classification.services.filter((s) => s.role === "app").map((s) => s.name);
  return swarmReplicas(model, apps, settings?.replicas).problems.map((problem) => `environments.${project.environment.name}.${problem}`);
}

export async function resolveProject(project: LoadedProject, compose: ComposeCli): Promise<ResolvedProject> {
  return resolveModel(project, await readModel(compose, composeTarget(project), project.config));
}

/**
 * Loads and resolves in one go, with `docker compose config` started as soon as the files and
 * variables are known, so it runs while slipway.yml is validated and the sources scanned.
 * The early read is used only when the final project asks compose exactly the same thing.
 */
export async function loadAndResolve(options: LoadOptions, deps: LoadDeps & { readonly compose: ComposeCli }): Promise<{ loaded: LoadResult; resolved?: ResolvedProject }> {
  let early: { key: string; model: Promise<ComposeModel> } | undefined;
  const loaded = await loadProject(options, deps, {
    onStaged(staged) {
      const target = composeTarget(staged);
      const model = readModel(deps.compose, target, staged.config);
      model.catch(() => undefined); // Its error, if it matters, surfaces when awaited below.
      early = { key: JSON.stringify([target, releaseTaskCandidate(staged.config)]), model };
    },
  });
  const project = loaded.project;
  if (!project || loaded.problems.length > 0) return { loaded };
  const target = composeTarget(project);
  const model = early?.key === JSON.stringify([target, releaseTaskCandidate(project.config)]) ? await early.model : await readModel(deps.compose, target, project.config);
  return { loaded, resolved: resolveModel(project, model) };
}

/** The plan of one release of a resolved project; the tag and commit default to the project's. */
export function planProject(resolved: ResolvedProject, release: string, build: { tag?: string; commit?: string; envDir?: string } = {}): ReleasePlan {
  const { project } = resolved;
  const commit = build.commit ?? project.head?.commit;
  return planRelease({
    model: resolved.model,
    classification: resolved.classification,
    project: project.name,
    environment: project.environment.name,
    release,
    tag: build.tag ?? project.tag,
    ...(commit ? { commit } : {}),
    ...(build.envDir ? { envDir: build.envDir } : {}),
  });
}

/**
 * The secret values a release of this project handles: the store's and the provider's, those of
 * secret-named variables the compose files use, and what containers get under a secret-looking name.
 */
export function secretValues(resolved: ResolvedProject): string[] {
  const { variables, sources } = resolved.project;
  const referenced = new Set(sources.flatMap((s) => s.references.map((r) => r.reference.name)));
  const named = variables.secretNames.filter((name) => referenced.has(name) || Object.hasOwn(variables.overrides, name));
  return [...new Set([...named.map((name) => variables.values[name] ?? ""), ...secretValuesOf(resolved.model)])].filter((value) => value.length > 0);
}
