/**
 * How long the wait for a release's tasks lasts. The readiness deadline of `slipway.yml` is
 * the app's time to get healthy; a task still being made ready on its node (its image pulled
 * from the registry, its container created) has not started the app yet, so the deadline is
 * counted again from the last moment a task was seen in such a state. A task that no node takes
 * (pending: no node fits its placement) does not stretch it; the prepare limit ends the wait
 * whatever the nodes do.
 */
import type { SwarmTaskState } from "../../adapters/swarm-stacks.js";

/** Placed on a node and being made ready there: not yet the app's time. */
const GETTING_READY = new Set(["assigned", "accepted", "preparing", "ready"]);

/** The longest a wait lasts while nodes are still pulling images: ten minutes. */
export const PREPARE_LIMIT_MS = 600_000;

export const isGettingReady = (task: SwarmTaskState): boolean => task.desiredState === "running" && GETTING_READY.has(task.state);

/** When the wait ends, for a wait started at `startedAt` whose tasks were last seen getting ready at `lastReadyingAt`. */
export function taskWaitEnds(startedAt: number, deadlineMs: number, lastReadyingAt: number | undefined): number {
  const limit = startedAt + Math.max(deadlineMs, PREPARE_LIMIT_MS);
  return Math.min((lastReadyingAt ?? startedAt) + deadlineMs, limit);
}

/** The tasks that should run and do not, as a timeout says them: `task 1a2b3c preparing on node 4d5e6f`. */
export function notRunning(tasks: readonly SwarmTaskState[]): string[] {
  return tasks
    .filter((t) => t.desiredState === "running" && t.state !== "running")
    .map((t) => `task ${t.id.slice(0, 12)} ${t.state}${t.nodeId ? ` on node ${t.nodeId.slice(0, 12)}` : " on no node yet"}`);
}
