/**
 * How long the wait for a release's tasks lasts. The readiness deadline of `slipway.yml` is
 * the app's time to get healthy; a task still being made ready on its node (its image pulled
 * from the registry, its container created) has not started the app yet, so the deadline is
 * counted again from the last moment a task was seen in such a state on a node that had not had
 * one past it yet. A task that no node takes
 * (pending: no node fits its placement) does not stretch it; the prepare limit ends the wait
 * whatever the nodes do.
 */
import type { SwarmTaskState } from "../../adapters/swarm-stacks.js";

/** Placed on a node and being made ready there: not yet the app's time. */
const GETTING_READY = new Set(["assigned", "accepted", "preparing", "ready"]);

/** The states a job's task ends in. */
export const JOB_ENDED: ReadonlySet<string> = new Set(["complete", "failed", "rejected", "shutdown", "orphaned", "remove"]);

/** The longest a wait lasts while nodes are still pulling images: ten minutes. */
export const PREPARE_LIMIT_MS = 600_000;

export const isGettingReady = (task: SwarmTaskState): boolean => task.desiredState === "running" && GETTING_READY.has(task.state);

/** States a task reaches once its node has its image: from there on, a node pulls it no more. */
const PAST_PREPARING = new Set(["starting", "running", "complete", "failed", "shutdown", "rejected"]);

/**
 * The last moment a task was seen getting ready on a node that had not yet got a task of its
 * service past preparing (so was still pulling): a task that fails its healthcheck and is replaced
 * on a node that has the image passes through preparing again, but that is the app's time, and
 * must not stretch the deadline.
 */
export function readyingTracker(): { see(tasks: readonly SwarmTaskState[], now: number): number | undefined } {
  const prepared = new Set<string>();
  let last: number | undefined;
  return {
    see(tasks, now) {
      // Per service and node: another service's image may still be on its way to that node.
      const key = (t: SwarmTaskState): string => `${t.serviceId} ${t.nodeId}`;
      for (const t of tasks) if (t.nodeId && PAST_PREPARING.has(t.state)) prepared.add(key(t));
      if (tasks.some((t) => isGettingReady(t) && !prepared.has(key(t)))) last = now;
      return last;
    },
  };
}

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
