import { describe, expect, it } from "vitest";
import type { SwarmTaskState } from "../../adapters/swarm-stacks.js";
import { PREPARE_LIMIT_MS, isGettingReady, notRunning, readyingTracker, taskWaitEnds } from "./task-wait.js";

const task = (state: string, desiredState = "running", nodeId = "node0123456789abc"): SwarmTaskState => ({ id: "task0123456789abcdef", serviceId: "s", nodeId, state, desiredState });

describe("taskWaitEnds", () => {
  it("is the readiness deadline when no task was seen getting ready", () => {
    expect(taskWaitEnds(1000, 20_000, undefined)).toBe(21_000);
  });

  it("counts the deadline again from the last moment a task was being prepared", () => {
    expect(taskWaitEnds(1000, 20_000, 31_000)).toBe(51_000);
  });

  it("never goes beyond the prepare limit, nor below the deadline itself", () => {
    expect(taskWaitEnds(0, 20_000, PREPARE_LIMIT_MS)).toBe(PREPARE_LIMIT_MS);
    expect(taskWaitEnds(0, 900_000, 10_000)).toBe(900_000);
  });
});

describe("readyingTracker", () => {
  it("stretches the deadline while a node is still preparing its first task, not for a replacement on a node that has the image", () => {
    const tracker = readyingTracker();
    expect(tracker.see([task("pending", "running", "")], 0)).toBeUndefined();
    expect(tracker.see([task("preparing", "running", "a"), task("preparing", "running", "b")], 1_000)).toBe(1_000);
    // a started; b still pulling.
    expect(tracker.see([task("starting", "running", "a"), task("preparing", "running", "b")], 2_000)).toBe(2_000);
    expect(tracker.see([task("failed", "shutdown", "a"), task("running", "running", "b")], 3_000)).toBe(2_000);
    // a's replacement passes through preparing again: the app's time, not a pull.
    expect(tracker.see([task("failed", "shutdown", "a"), task("preparing", "running", "a"), task("running", "running", "b")], 4_000)).toBe(2_000);
    // A node that joins later pulls for the first time.
    expect(tracker.see([task("preparing", "running", "c")], 5_000)).toBe(5_000);
  });
});

describe("isGettingReady", () => {
  it("takes a placed task being prepared, not a pending one, a running one or one on its way out", () => {
    expect(["assigned", "accepted", "preparing", "ready"].map((s) => isGettingReady(task(s)))).toEqual([true, true, true, true]);
    expect(["new", "pending", "starting", "running", "failed"].map((s) => isGettingReady(task(s)))).toEqual([false, false, false, false, false]);
    expect(isGettingReady(task("preparing", "shutdown"))).toBe(false);
  });
});

describe("notRunning", () => {
  it("names each task that should run and does not, with its node", () => {
    expect(notRunning([task("running"), task("preparing"), task("pending", "running", ""), task("failed", "shutdown")])).toEqual([
      "task task01234567 preparing on node node01234567",
      "task task01234567 pending on no node yet",
    ]);
  });
});
