/**
 * A build on its own (`slipway build`, a CI pipeline's build step): a deployment's source and
 * build steps, the same code with the same build keys, labels and cache policy, and nothing
 * after them, so nothing that runs changes. A later deploy of the commit finds the recorded
 * build and reuses it.
 *
 * It is recorded as a deployment of kind "build": steps and logs belong to a deployment, so a
 * build's are stored, streamed with its id and read back (`slipway logs --deployment N`) as a
 * deploy's are, and a build whose process is killed is reconciled like any other. It makes no
 * release, and takes no environment lock: what it writes is the project's (images, the build
 * tree, the build row), never the environment's, and two runs building one key record one build.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planProject } from "../project/resolve-project.js";
import type { BuildRun, DeployDeps, DeployRequest, PushedImage } from "./deploy-run.js";
import type { DeploymentTicket } from "./deploy.js";
import { LogBuffer } from "./log-buffer.js";
import { finishUnsuccessful, stepLog } from "./step.js";
import { sourceAndBuild } from "./steps/build.js";

export const BUILD_KIND = "build";

export interface BuildOutcome {
  readonly deploymentId: number;
  readonly buildId: number;
  /** False when the images of this build key were there already. */
  readonly built: boolean;
  readonly commit: string;
  readonly tag: string;
  /** Every image the build has, one per app service (services on another's image share it). */
  readonly images: readonly string[];
  /** On a swarm: each app service's image as pushed to the registry, with its digest. */
  readonly pushed?: readonly PushedImage[];
}

export async function queueBuild(deps: DeployDeps, request: Pick<DeployRequest, "resolved" | "ref" | "actor">): Promise<DeploymentTicket> {
  const { store } = deps;
  const { project } = request.resolved;
  const projectId = await store.ensureProject(project.name, project.dir);
  const environmentId = await store.ensureEnvironment(projectId, project.environment.name);
  const deploymentId = await store.createDeployment({ environmentId, kind: BUILD_KIND, ref: request.ref, actor: request.actor, pid: deps.identity.pid });
  return { deploymentId, projectId, environmentId };
}

export async function runBuild(deps: DeployDeps, ticket: DeploymentTicket, request: DeployRequest, options: { signal?: AbortSignal }): Promise<BuildOutcome> {
  const { store } = deps;
  const { deploymentId } = ticket;
  await store.updateDeployment(deploymentId, { status: "running", commit: request.commit });
  // The build file is the only planned file; no release owns a directory for it.
  const filesDir = mkdtempSync(join(tmpdir(), "slipway-build-"));
  const logs = new LogBuffer(store, deploymentId, { onError: (error) => deps.events({ type: "warning", deploymentId, text: `could not store log lines: ${(error as Error).message}` }) });
  const run: BuildRun = {
    deps,
    deploymentId,
    projectId: ticket.projectId,
    request,
    plan: planProject(request.resolved, BUILD_KIND, { tag: request.tag, commit: request.commit }),
    filesDir,
    signal: options.signal,
    log: stepLog(deps, deploymentId, logs),
  };
  try {
    const how = await sourceAndBuild(run, logs);
    await store.updateDeployment(deploymentId, { status: "succeeded", finishedAt: new Date(deps.clock.now()) });
    return { deploymentId, buildId: run.buildId ?? 0, built: how === "built", commit: request.commit, tag: request.tag, images: [...new Set(Object.values(run.plan.images))], ...(run.pushed ? { pushed: run.pushed } : {}) };
  } catch (error) {
    await logs.flush();
    return await finishUnsuccessful(deps, deploymentId, error, options.signal);
  } finally {
    rmSync(filesDir, { recursive: true, force: true });
  }
}
