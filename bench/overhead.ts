/**
 * Slipway's own time in a deployment, measured directly from its --json events and the wall
 * clock around the process, part by part, never as what is left of the wall time once the
 * app's and Docker's parts are taken away (a remainder that goes negative when the parts
 * overlap or are estimated, and then reads as "ok"). Every part is a measured span: the time
 * before the first step (start-up, loading the project), the gaps between steps (bookkeeping),
 * the steps that are Slipway's work alone, and the time after the last step (closing the store).
 */
export interface TimedEvent {
  readonly at: string;
  readonly event: string;
  readonly step?: string;
  readonly status?: string;
  readonly durationMs?: number;
}

/** Steps whose time is Slipway's own work: no user code, no container starting or stopping. */
export const OWN_STEPS = ["preflight", "source", "build", "switch"] as const;

export interface Overhead {
  readonly beforeFirstStepMs: number;
  readonly betweenStepsMs: number;
  readonly ownStepsMs: number;
  readonly afterLastStepMs: number;
  readonly totalMs: number;
}

export function parseEvents(stdout: string): TimedEvent[] {
  return stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as TimedEvent);
}

/**
 * `startedAt`/`endedAt`: the wall clock (ms since the epoch) when the process was spawned and
 * when it exited. Steps skipped (a build reused) count as own work: checking costs time too.
 */
export function overheadOf(events: readonly TimedEvent[], startedAt: number, endedAt: number, own: readonly string[] = OWN_STEPS): Overhead {
  const steps = events.filter((e) => e.event === "step");
  const started = steps.filter((e) => e.status === "started");
  const finished = steps.filter((e) => e.status !== "started");
  const first = started[0];
  const last = finished.at(-1);
  if (!first || !last) throw new Error("no step events: was the deployment run with --json?");
  const time = (e: TimedEvent): number => Date.parse(e.at);
  let betweenStepsMs = 0;
  for (const [i, end] of finished.entries()) {
    const next = started[i + 1];
    if (next) betweenStepsMs += Math.max(0, time(next) - time(end));
  }
  const ownStepsMs = finished.filter((e) => e.step !== undefined && own.includes(e.step)).reduce((sum, e) => sum + (e.durationMs ?? 0), 0);
  // Each span is measured; clocks of one machine only move forward, so none is negative.
  const beforeFirstStepMs = Math.max(0, time(first) - startedAt);
  const afterLastStepMs = Math.max(0, endedAt - time(last));
  return { beforeFirstStepMs, betweenStepsMs, ownStepsMs, afterLastStepMs, totalMs: beforeFirstStepMs + betweenStepsMs + ownStepsMs + afterLastStepMs };
}

/** "0.31 s (before the first step 0.20, between steps 0.01, preflight+source+build+switch 0.08, after the last 0.02)" */
export function describeOverhead(o: Overhead): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  return `${s(o.totalMs)} s (before the first step ${s(o.beforeFirstStepMs)}, between steps ${s(o.betweenStepsMs)}, ${OWN_STEPS.join("+")} ${s(o.ownStepsMs)}, after the last ${s(o.afterLastStepMs)})`;
}
