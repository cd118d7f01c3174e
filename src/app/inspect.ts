/** Check, config and plan: reading a project without touching what runs. */
import { checkProject, type CheckReport } from "../project/check-project.js";
import { planProject, type ResolvedProject } from "../project/resolve-project.js";
import type { ReleasePlan } from "../plan/plan-release.js";
import type { App } from "./app.js";
import { assertDeployable, projectOptions, resolveOrThrow, type ProjectRequest } from "./project.js";

export type { CheckReport } from "../project/check-project.js";
export type { SwarmCheck } from "../project/check-swarm.js";
export type { ReleasePlan } from "../plan/plan-release.js";
export type { Classification, Readiness, ServiceClass } from "../plan/classify.js";
export { renderProblem } from "../project/problem.js";

/** Every problem at once: variables, slipway.yml, compose, engine. */
export function check(app: App, request: ProjectRequest): Promise<CheckReport> {
  return checkProject({ dir: request.dir, processEnv: app.env, variableSources: app.variableSources, ...projectOptions(request) }, app);
}

/** The resolved compose model, and how Slipway classified each service. */
export function configView(resolved: ResolvedProject): Record<string, unknown> {
  const { project, classification, model } = resolved;
  const services = Object.fromEntries(
    classification.services.map((s) => {
      const routes = classification.routes
        .filter((r) => r.service === s.name)
        .map((r) => ({ port: r.port, ...(r.listen ? { listen: r.listen } : {}), hosts: r.hosts, readiness: r.readiness }));
      return [s.name, { role: s.role, reason: s.reason, ...(routes.length > 0 ? { routes } : {}), stop_first: s.stopFirst, ...(s.buildOf ? { image_of: s.buildOf } : {}) }];
    }),
  );
  return {
    project: project.name,
    environment: project.environment.name,
    compose_files: project.composeFiles,
    compose_files_reason: project.composeReason,
    ...(project.profiles ? { profiles: project.profiles } : {}),
    tag: project.tag,
    slipway: { services, ...(classification.releaseTask ? { release_task: classification.releaseTask } : {}), warnings: resolved.lint.warnings },
    compose: model,
  };
}

export async function config(app: App, request: ProjectRequest): Promise<Record<string, unknown>> {
  return configView(await resolveOrThrow(app, request));
}

/** The compose files a release (`v1` unless named) and the environment's accessories would run with. */
export async function plan(app: App, request: ProjectRequest & { release: string }): Promise<{ plan: ReleasePlan; warnings: readonly string[] }> {
  const resolved = await resolveOrThrow(app, request);
  assertDeployable(resolved);
  return { plan: planProject(resolved, request.release), warnings: resolved.lint.warnings };
}
/** The YAML text `slipway plan` prints, as Slipway writes its planned files. */
export { toYaml } from "../core/yaml-text.js";
