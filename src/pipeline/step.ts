/** One recorded step of a deployment: its row, its timing, its events, its log flushed at the end. */
import { SlipwayError } from "../core/errors.js";
import type { DeploymentStatus } from "../store/store.js";
import type { DeployDeps, StepRun } from "./deploy-run.js";
import type { StepName } from "./events.js";
import type { LogBuffer } from "./log-buffer.js";

/** A cancelled deployment's error: the abort's own reason when it is ours, else one saying so. */
export function cancelledError(signal: AbortSignal): SlipwayError {
  const reason: unknown = signal.reason;
  if (reason instanceof SlipwayError && reason.code === "E_CANCELLED") return reason;
  const why = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "cancelled";
  return new SlipwayError("E_CANCELLED", `the deployment was cancelled (${why})`, { cause: reason });
}

/** Throws the cancellation when the run's signal was aborted: checked between steps. */
export function throwIfCancelled(run: Pick<StepRun, "signal">): void {
  if (run.signal?.aborted) throw cancelledError(run.signal);
}

/** A run's log: each line redacted, sent as an event and kept for the store. */
export function stepLog(deps: DeployDeps, deploymentId: number, logs: LogBuffer): StepRun["log"] {
  return (stepName, stream, line) => {
    const shown = deps.redact(line);
    deps.events({ type: "log", deploymentId, step: stepName, stream, line: shown });
    logs.add(stepName, stream, shown);
  };
}

/** Records how a run that did not finish ended: cancelled when its signal was aborted, else failed. */
export async function finishUnsuccessful(deps: DeployDeps, deploymentId: number, error: unknown, signal: AbortSignal | undefined): Promise<never> {
  const status: DeploymentStatus = signal?.aborted ? "cancelled" : "failed";
  const thrown = signal?.aborted ? cancelledError(signal) : error;
  await deps.store.updateDeployment(deploymentId, { status, error: deps.redact((thrown as Error).message), finishedAt: new Date(deps.clock.now()) });
  throw thrown;
}

export async function step<T>(run: StepRun, logs: LogBuffer, name: StepName, body: () => Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
  const { events, store, clock } = run.deps;
  const deploymentId = run.deploymentId;
  throwIfCancelled(run);
  const id = await store.startStep(deploymentId, name);
  const began = clock.now();
  events({ type: "step-started", deploymentId, step: name });
  try {
    const value = await body();
    throwIfCancelled(run);
    // A detail "skipped" or "skipped: why" marks the step skipped.
    const note = detail?.(value);
    const outcome = note?.startsWith("skipped") ? "skipped" : "succeeded";
    const shown = outcome === "skipped" ? note?.replace(/^skipped:?\s*/, "") || undefined : note;
    await logs.flush();
    await store.finishStep(id, outcome);
    events({ type: "step-finished", deploymentId, step: name, outcome, durationMs: clock.now() - began, ...(shown ? { detail: shown } : {}) });
    return value;
  } catch (caught) {
    // An aborted child process throws its own AbortError: say "cancelled", not that.
    const error = run.signal?.aborted ? cancelledError(run.signal) : caught;
    const message = run.deps.redact((error as Error).message);
    run.log(name, "info", `failed: ${message}`);
    await logs.flush();
    await store.finishStep(id, "failed", message);
    events({ type: "step-finished", deploymentId, step: name, outcome: "failed", durationMs: clock.now() - began, detail: message });
    throw error;
  }
}
