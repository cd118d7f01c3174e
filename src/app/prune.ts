/** Prune: what retention allows to go, gone (or listed). */
import { prune as pruneProject, type PruneReport } from "../pipeline/prune.js";
import type { App } from "./app.js";
import { openEnvironment, type ProjectRequest } from "./project.js";

export type { PruneReport } from "../pipeline/prune.js";
export { describePrune } from "../pipeline/prune.js";

export async function prune(app: App, request: ProjectRequest & { dryRun?: boolean }): Promise<{ report: PruneReport; retain: number }> {
  const env = await openEnvironment(app, request);
  const deps = await app.deps();
  const { config } = env.project;
  const report = await pruneProject(deps, {
    projectId: env.projectId,
    project: env.project.name,
    dir: env.project.dir,
    retain: config.retain,
    ...(config.mirror_of ? { mirrorOf: config.mirror_of } : {}),
    dryRun: request.dryRun ?? false,
  });
  return { report, retain: config.retain };
}
