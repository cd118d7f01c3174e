/**
 * One deployment: preflight → source → build → release → start → verify → switch → retire,
 * each recorded with its timing and log, under the environment's lock. A failure in any step,
 * or a cancellation before the switch, takes the new release down and leaves the live one
 * serving, untouched; after the switch the new release stays live whatever happens.
 */
import { SlipwayError } from "../core/errors.js";
import { planProject } from "../project/resolve-project.js";
import type { ReleasePlan } from "../plan/plan-release.js";
import type { WebPorts } from "../router/render-config.js";
import type { DeployDeps, DeployRequest, DeployRun, ReleaseRef } from "./deploy-run.js";
import { sourceAndBuild } from "./steps/build.js";
import { removeEnvFiles } from "./steps/preflight.js";
import { registryToPrune } from "./steps/push.js";
import { executorOf } from "./executor.js";
import { LogBuffer } from "./log-buffer.js";
import { runsAsOf, sealSnapshot, variablesDigest, type ReleaseSnapshot } from "./release-snapshot.js";
import { describePrune, prune } from "./prune.js";
import { finishUnsuccessful, step, stepLog } from "./step.js";

export type { ReleaseSnapshot } from "./release-snapshot.js";
export { runsAsOf } from "./release-snapshot.js";

export interface DeployOutcome {
  readonly deploymentId: number;
  readonly release: string;
  readonly built: boolean;
  readonly urls: readonly string[];
}

/** A deployment recorded `queued`: visible before it waits for the environment's lock. */
export interface DeploymentTicket {
  readonly deploymentId: number;
  readonly projectId: number;
  readonly environmentId: number;
}

export interface RunOptions {
  /** Wait for the environment's lock (queued behind the holder), or fail with E_LOCKED at once. */
  readonly wait: boolean;
  /** Aborting cancels the deployment: before the switch, the new release is taken down. */
  readonly signal?: AbortSignal;
}

export async function queueDeployment(deps: DeployDeps, request: Pick<DeployRequest, "resolved" | "ref" | "actor" | "kind">): Promise<DeploymentTicket> {
  const { store } = deps;
  const { project } = request.resolved;
  const projectId = await store.ensureProject(project.name, project.dir);
  const environmentId = await store.ensureEnvironment(projectId, project.environment.name);
  const deploymentId = await store.createDeployment({ environmentId, kind: request.kind ?? "deploy", ref: request.ref, actor: request.actor, pid: deps.identity.pid });
  return { deploymentId, projectId, environmentId };
}

/** Queues and runs at once: what a caller that needs no queued state in between does. */
export async function deploy(deps: DeployDeps, request: DeployRequest, options: RunOptions): Promise<DeployOutcome> {
  return runDeployment(deps, await queueDeployment(deps, request), request, options);
}

async function lockEnvironment(deps: DeployDeps, ticket: DeploymentTicket, request: DeployRequest, options: RunOptions): Promise<AsyncDisposable> {
  const { deploymentId } = ticket;
  try {
    return await deps.store.acquireLock(
      ticket.environmentId,
      { description: `deployment ${deploymentId} by ${request.actor}`, pid: deps.identity.pid, hostname: deps.identity.hostname, deploymentId },
      { wait: options.wait, onWait: (holder) => deps.events({ type: "lock-wait", deploymentId, holder }), ...(options.signal ? { signal: options.signal } : {}) },
    );
  } catch (error) {
    const locked = (error as { code?: string }).code === "E_LOCKED";
    const thrown = locked ? new SlipwayError("E_LOCKED", (error as Error).message, { cause: error, hint: { action: "wait-for-lock" } }) : error;
    return finishUnsuccessful(deps, deploymentId, thrown, options.signal);
  }
}

export async function runDeployment(deps: DeployDeps, ticket: DeploymentTicket, request: DeployRequest, options: RunOptions): Promise<DeployOutcome> {
  await using _lock = await lockEnvironment(deps, ticket, request, options);
  await deps.store.updateDeployment(ticket.deploymentId, { status: "running", commit: request.commit });
  const run = await prepareRun(deps, ticket, request, options.signal);
  const logs = new LogBuffer(deps.store, ticket.deploymentId, { onError: (error) => run.log("retire", "info", `could not store log lines: ${(error as Error).message}`) });
  const progress: Progress = { started: false, switched: false };
  try {
    return await runSteps(run, logs, progress);
  } catch (error) {
    await afterFailure(run, logs, progress);
    return await finishUnsuccessful(deps, ticket.deploymentId, error, options.signal);
  } finally {
    removeEnvFiles(run);
  }
}

async function prepareRun(deps: DeployDeps, ticket: DeploymentTicket, request: DeployRequest, signal: AbortSignal | undefined): Promise<DeployRun> {
  const { store } = deps;
  const { project } = request.resolved;
  const number = await store.nextReleaseNumber(ticket.environmentId);
  const live = await store.liveRelease(ticket.environmentId);
  const name = `v${number}`;
  const runsAs = request.resume ?? name;
  const plan = planProject(request.resolved, runsAs, { tag: request.tag, commit: request.commit, envDir: deps.paths.release(project.name, project.environment.name, runsAs) });
  return {
    deps,
    request,
    ...ticket,
    release: { id: 0, number, name, runsAs },
    ...(live ? { previous: { id: live.id, number: live.number, name: `v${live.number}`, runsAs: runsAsOf(live) } satisfies ReleaseRef } : {}),
    plan,
    filesDir: deps.paths.release(project.name, project.environment.name, runsAs),
    containers: [],
    signal,
    log: () => undefined,
  };
}

interface Progress {
  releaseId?: number;
  /** The new release's containers may exist: a failure takes them down. */
  started: boolean;
  /** After the switch the new release serves: a later failure must not take it down. */
  switched: boolean;
}

async function runSteps(run: DeployRun, logs: LogBuffer, progress: Progress): Promise<DeployOutcome> {
  const { deps, request } = run;
  const { deploymentId } = run;
  const executor = executorOf(run);
  run.log = stepLog(deps, deploymentId, logs);
  await step(run, logs, "preflight", () => executor.preflight(run));
  const built = await buildOrReuse(run, logs);
  const release = await recordRelease(run);
  progress.releaseId = release.id;
  const why = request.releaseTask === false ? "skipped: the release task does not run on a rollback, so the database is not rolled back" : "skipped";
  await step(run, logs, "release", () => (request.releaseTask === false ? Promise.resolve<"ran" | "skipped">("skipped") : executor.releaseTask(run)), (how) => (how === "skipped" ? why : undefined));
  progress.started = true;
  await step(run, logs, "start", () => executor.start(run));
  removeEnvFiles(run);
  await step(run, logs, "verify", () => executor.verify(run));
  const retiring = await step(run, logs, "switch", () => executor.switchTraffic(run));
  progress.switched = true;
  // Live from here: a cancellation no longer takes it down, the retire finishes.
  run.signal = undefined;
  await deps.store.setReleaseStatus(release.id, "live");
  if (run.previous) await deps.store.setReleaseStatus(run.previous.id, "superseded");
  await step(run, logs, "retire", () => retireAndPrune(run, retiring));
  await deps.store.updateDeployment(deploymentId, { status: "succeeded", finishedAt: new Date(deps.clock.now()) });
  const urls = run.plan.routes.map((r) => routeUrl(r, deps.router.web));
  return { deploymentId, release: run.release.name, built: built === "built", urls };
}

/** Where users reach a route: its first host over HTTPS when it has a certificate, else its port. */
function routeUrl(route: ReleasePlan["routes"][number], web: WebPorts): string {
  const host = route.hosts[0];
  if (host === undefined) return `http://127.0.0.1:${route.listen}/`;
  const [scheme, port, standard] = route.certificate ? ["https", web.https, 443] : ["http", web.http, 80];
  return `${scheme}://${host}${port === standard ? "" : `:${port}`}/`;
}

async function buildOrReuse(run: DeployRun, logs: LogBuffer): Promise<"built" | "reused"> {
  const reuse = run.request.build;
  if (reuse) {
    run.buildId = reuse.id;
    await step(run, logs, "source", () => Promise.resolve(), () => `skipped: ${reuse.of}'s build (${run.request.commit.slice(0, 12)}) is reused`);
    await step(run, logs, "build", () => Promise.resolve(), () => `skipped: no rebuild`);
    return "reused";
  }
  return sourceAndBuild(run, logs);
}

/** The release's row: its build, its sealed configuration snapshot, the variables it runs with. */
async function recordRelease(run: DeployRun): Promise<{ id: number }> {
  const { deps, request } = run;
  const { number, name, runsAs } = run.release;
  const reuse = request.build;
  const snapshot: ReleaseSnapshot = { model: request.resolved.model, classification: request.resolved.classification, commit: request.commit, tag: request.tag, ref: request.ref, runsAs, ...(reuse ? { of: reuse.of } : {}) };
  const sealer = deps.sealer();
  const { config, sealed } = sealSnapshot(snapshot, request.secrets ?? [], sealer);
  const version = request.variablesVersion !== undefined ? request.variablesVersion : request.resolved.project.variablesVersion;
  const variables = { version, digest: variablesDigest(snapshot.model, sealer) };
  const release = await deps.store.createRelease({ environmentId: run.environmentId, number, buildId: run.buildId ?? 0, kind: request.kind ?? "deploy", config, sealed, variables });
  run.release = { id: release.id, number, name, runsAs };
  await deps.store.updateDeployment(run.deploymentId, { releaseId: release.id });
  return release;
}

async function retireAndPrune(run: DeployRun, retiring: () => Promise<void>): Promise<void> {
  const { store } = run.deps;
  await retiring();
  // Only the previous release is kept (stopped, for a fast rollback); older ones were removed.
  for (const r of await store.releases(run.environmentId, { statuses: ["superseded"] })) {
    if (r.status === "superseded" && r.id !== run.previous?.id) await store.setReleaseStatus(r.id, "retired");
  }
  // A rollback builds nothing: what it could free, the next deploy's retention frees.
  if (run.request.kind !== "rollback") await pruneAfter(run);
}

/** Retention after a success; a failure to prune is reported, never a failed deployment. */
async function pruneAfter(run: DeployRun): Promise<void> {
  const { project } = run.request.resolved;
  try {
    const mirrorOf = project.config.mirror_of;
    const registry = registryToPrune(project, run.deps.registryManifests);
    const report = await prune(run.deps, { projectId: run.projectId, project: project.name, dir: project.dir, retain: project.config.retain, ...(mirrorOf ? { mirrorOf } : {}), ...(registry ? { registry } : {}) });
    run.log("retire", "info", `retention (keep ${project.config.retain}): ${describePrune(report)}`);
  } catch (error) {
    run.log("retire", "info", `retention: could not prune (${(error as Error).message}); prune the project to retry`);
  }
}

async function afterFailure(run: DeployRun, logs: LogBuffer, progress: Progress): Promise<void> {
  if (progress.switched) run.log("retire", "info", `${run.release.name} is live and stays so: only the clean-up after the switch failed`);
  if (progress.started && !progress.switched) await takeDown(run);
  if (progress.releaseId !== undefined && !progress.switched) await run.deps.store.setReleaseStatus(progress.releaseId, "failed");
  await logs.flush();
}

/** Takes the new release down after a failure; its own failure never hides the first error. */
async function takeDown(run: DeployRun): Promise<void> {
  try {
    await executorOf(run).takeDown(run);
  } catch (error) {
    run.log("verify", "info", `cleanup of ${run.release.name} failed too: ${(error as Error).message}`);
  }
}
