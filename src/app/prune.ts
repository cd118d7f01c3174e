/** Prune: what retention allows to go, gone (or listed). */
import { prune as pruneProject, type PruneReport } from "../pipeline/prune.js";
import { registryToPrune } from "../pipeline/steps/push.js";
import type { App } from "./app.js";
import { openEnvironmentForRegistry, type ProjectRequest } from "./project.js";

export type { PruneReport } from "../pipeline/prune.js";
export { describePrune } from "../pipeline/prune.js";

export async function prune(app: App, request: ProjectRequest & { dryRun?: boolean }): Promise<{ report: PruneReport; retain: number }> {
  const env = await openEnvironmentForRegistry(app, request);
  const deps = await app.deps();
  const { config } = env.project;
  const registry = registryToPrune(env.project, deps.registryManifests);
  const report = await pruneProject(deps, {
    projectId: env.projectId,
    project: env.project.name,
    dir: env.project.dir,
    retain: config.retain,
    ...(config.mirror_of ? { mirrorOf: config.mirror_of } : {}),
    dryRun: request.dryRun ?? false,
    ...(registry ? { registry } : {}),
  });
  return { report, retain: config.retain };
}
