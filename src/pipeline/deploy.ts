/**
 * One deployment: preflight → source → build → release → start → verify → switch → retire,
 * each recorded with its timing and log, under the environment's lock. A failure in any step
 * takes the new release down and leaves the live one serving, untouched.
 */
import { hostname } from "node:os";
import { SlipwayError } from "../core/errors.js";
import { planProject } from "../project/resolve-project.js";
import type { DeployDeps, DeployRequest, DeployRun, ReleaseRef } from "./deploy-run.js";
import { releaseProject } from "./deploy-run.js";
import type { LogStream, StepName } from "./events.js";
import { build } from "./steps/build.js";
import { preflight } from "./steps/preflight.js";
import { releaseTask } from "./steps/release.js";
import { retire } from "./steps/retire.js";
import { source } from "./steps/source.js";
import { releaseContainers, start } from "./steps/start.js";
import { switchTraffic } from "./steps/switch.js";
import { verify } from "./steps/verify.js";
import { LogBuffer } from "./log-buffer.js";
import { runsAsOf, sealSnapshot, variablesDigest, type ReleaseSnapshot } from "./release-snapshot.js";
import { removeEnvFiles } from "./steps/preflight.js";
import { describePrune, prune } from "./prune.js";

export type { ReleaseSnapshot } from "./release-snapshot.js";
export { runsAsOf } from "./release-snapshot.js";

export interface DeployOutcome {
  readonly deploymentId: number;
  readonly release: string;
  readonly built: boolean;
  readonly urls: readonly string[];
}

export interface LockOptions {
  readonly wait: boolean;
  readonly onWait?: (holder: string) => void;
}

async function step<T>(run: DeployRun, logs: LogBuffer, name: StepName, body: () => Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
  const { events, store, clock } = run.deps;
  const id = await store.startStep(run.deploymentId, name);
  const began = clock.now();
  events.stepStarted(name);
  try {
    const value = await body();
    // A detail "skipped" or "skipped: why" marks the step skipped.
    const note = detail?.(value);
    const outcome = note?.startsWith("skipped") ? "skipped" : "succeeded";
    const shown = outcome === "skipped" ? note?.replace(/^skipped:?\s*/, "") || undefined : note;
    await logs.flush();
    await store.finishStep(id, outcome);
    events.stepFinished(name, outcome, clock.now() - began, shown);
    return value;
  } catch (error) {
    const message = run.deps.redact((error as Error).message);
    run.log(name, "info", `failed: ${message}`);
    await logs.flush();
    await store.finishStep(id, "failed", message);
    events.stepFinished(name, "failed", clock.now() - began, message);
    throw error;
  }
}

/** Retention after a success; a failure to prune is reported, never a failed deployment. */
async function pruneAfter(run: DeployRun): Promise<void> {
  const { project } = run.request.resolved;
  try {
    const mirrorOf = project.config.mirror_of;
    const report = await prune(run.deps, { projectId: run.projectId, project: project.name, dir: project.dir, retain: project.config.retain, ...(mirrorOf ? { mirrorOf } : {}) });
    run.log("retire", "info", `retention (keep ${project.config.retain}): ${describePrune(report)}`);
  } catch (error) {
    run.log("retire", "info", `retention: could not prune (${(error as Error).message}); run slipway prune`);
  }
}

/** Takes the new release down after a failure; its own failure never hides the first error. */
async function takeDown(run: DeployRun): Promise<void> {
  try {
    if (run.request.resume) {
      // A kept release that failed to come back is stopped again, still kept.
      await run.deps.engine.stopContainers((await releaseContainers(run)).map((c) => c.id), 10);
      return;
    }
    await run.deps.compose.exec(releaseProject(run), ["down", "--remove-orphans"], { onLine: (line, stream) => run.log("verify", stream, line) });
  } catch (error) {
    run.log("verify", "info", `cleanup of ${run.release.name} failed too: ${(error as Error).message}`);
  }
}

export async function deploy(deps: DeployDeps, request: DeployRequest, lock: LockOptions): Promise<DeployOutcome> {
  const { store } = deps;
  const { project } = request.resolved;
  const projectId = await store.ensureProject(project.name, project.dir);
  const environmentId = await store.ensureEnvironment(projectId, project.environment.name);
  const kind = request.kind ?? "deploy";
  const deploymentId = await store.createDeployment({ environmentId, kind, ref: request.ref, actor: request.actor });
  deps.events.message(`deployment ${deploymentId}: ${request.ref} (${request.commit.slice(0, 12)})`);
  await using _lock = await store
    .acquireLock(environmentId, { description: `deployment ${deploymentId} by ${request.actor}`, pid: process.pid, hostname: hostname(), deploymentId }, { wait: lock.wait, ...(lock.onWait ? { onWait: lock.onWait } : {}) })
    .catch(async (error: unknown) => {
      await store.updateDeployment(deploymentId, { status: "failed", error: "the environment was locked", finishedAt: new Date() });
      throw (error as { code?: string }).code === "E_LOCKED" ? new SlipwayError("E_LOCKED", `${(error as Error).message}; wait for it, or run without --no-wait to queue behind it`, { cause: error }) : error;
    });
  await store.updateDeployment(deploymentId, { commit: request.commit });

  const number = await store.nextReleaseNumber(environmentId);
  const live = await store.liveRelease(environmentId);
  const name = `v${number}`;
  const runsAs = request.resume ?? name;
  const plan = planProject(request.resolved, runsAs, { tag: request.tag, commit: request.commit, envDir: deps.paths.release(project.name, project.environment.name, runsAs) });
  const logs = new LogBuffer(store, deploymentId);
  const run: DeployRun = {
    deps,
    request,
    projectId,
    environmentId,
    deploymentId,
    release: { id: 0, number, name, runsAs },
    ...(live ? { previous: { id: live.id, number: live.number, name: `v${live.number}`, runsAs: runsAsOf(live) } satisfies ReleaseRef } : {}),
    plan,
    containers: [],
    log(stepName: StepName, stream: LogStream, line: string) {
      const shown = deps.redact(line);
      deps.events.log(stepName, stream, shown);
      logs.add(stepName, stream, shown);
    },
  };

  let releaseId: number | undefined;
  let started = false;
  /** After the switch the new release serves: a later failure must not take it down. */
  let switched = false;
  try {
    await step(run, logs, "preflight", () => preflight(run));
    let built: "built" | "reused" = "reused";
    const reuse = request.build;
    if (reuse) {
      run.buildId = reuse.id;
      await step(run, logs, "source", () => Promise.resolve(), () => `skipped: ${reuse.of}'s build (${request.commit.slice(0, 12)}) is reused`);
      await step(run, logs, "build", () => Promise.resolve(), () => `skipped: no rebuild`);
    } else {
      const buildFile = await step(run, logs, "source", () => source(run), () => request.commit.slice(0, 12));
      built = await step(run, logs, "build", () => build(run, buildFile), (how) => (how === "reused" ? "image reused" : "built"));
    }
    const snapshot: ReleaseSnapshot = { model: request.resolved.model, classification: request.resolved.classification, commit: request.commit, tag: request.tag, ref: request.ref, runsAs, ...(reuse ? { of: reuse.of } : {}) };
    const sealer = deps.sealer();
    const { config, sealed } = sealSnapshot(snapshot, request.secrets ?? [], sealer);
    const variables = { version: request.variablesVersion !== undefined ? request.variablesVersion : project.variablesVersion, digest: variablesDigest(snapshot.model, sealer) };
    const release = await store.createRelease({ environmentId, number, buildId: run.buildId ?? 0, kind, config, sealed, variables });
    releaseId = release.id;
    run.release = { id: release.id, number, name, runsAs };
    await store.updateDeployment(deploymentId, { releaseId });
    const task = request.releaseTask === false
      ? () => Promise.resolve<"ran" | "skipped">("skipped")
      : () => releaseTask(run);
    const why = request.releaseTask === false ? "skipped: the release task does not run on a rollback, so the database is not rolled back (--with-release runs it)" : "skipped";
    await step(run, logs, "release", task, (how) => (how === "skipped" ? why : undefined));
    started = true;
    await step(run, logs, "start", () => start(run));
    removeEnvFiles(run);
    await step(run, logs, "verify", () => verify(run));
    const retiring = await step(run, logs, "switch", () => switchTraffic(run));
    switched = true;
    await store.setReleaseStatus(release.id, "live");
    if (run.previous) await store.setReleaseStatus(run.previous.id, "superseded");
    await step(run, logs, "retire", async () => {
      await retire(run, retiring);
      // Only the previous release is kept (stopped, for a fast rollback); older ones were removed.
      for (const r of await store.releases(environmentId)) {
        if (r.status === "superseded" && r.id !== run.previous?.id) await store.setReleaseStatus(r.id, "retired");
      }
      // A rollback builds nothing: what it could free, the next deploy's retention frees.
      if (kind !== "rollback") await pruneAfter(run);
    });
    await store.updateDeployment(deploymentId, { status: "succeeded", finishedAt: new Date() });
    const urls = plan.routes.map((r) => (r.hosts[0] ? `http://${r.hosts[0]}${r.listen === 80 ? "" : `:${r.listen}`}/` : `http://127.0.0.1:${r.listen}/`));
    return { deploymentId, release: name, built: built === "built", urls };
  } catch (error) {
    if (switched) run.log("retire", "info", `${name} is live and stays so: only the clean-up after the switch failed`);
    if (started && !switched) await takeDown(run);
    if (releaseId !== undefined && !switched) await store.setReleaseStatus(releaseId, "failed");
    await logs.flush();
    await store.updateDeployment(deploymentId, { status: "failed", error: deps.redact((error as Error).message), finishedAt: new Date() });
    throw error;
  } finally {
    removeEnvFiles(run);
  }
}
