/** The deployment page's timeline, built from the events the server streams. */
import { describe, expect, it } from "vitest";
import type { DeploymentEvent } from "../../web/src/api/events.ts";
import { apply, emptyTimeline, hintText } from "../../web/src/pages/deployment-state.ts";

const run = (events: DeploymentEvent[]) => {
  const t = emptyTimeline();
  for (const e of events) apply(t, e, 1000);
  return t;
};

describe("the deployment timeline", () => {
  it("marks steps running, then finished with their durations, and files each log line under its step", () => {
    const t = run([
      { type: "queued", deploymentId: 1, kind: "deploy", ref: "main", commit: "abc" },
      { type: "step-started", deploymentId: 1, step: "preflight" },
      { type: "log", deploymentId: 1, step: "preflight", stream: "info", line: "engine answers" },
      { type: "step-finished", deploymentId: 1, step: "preflight", outcome: "succeeded", durationMs: 40 },
      { type: "step-started", deploymentId: 1, step: "source" },
    ]);
    expect(t.steps.slice(0, 3)).toEqual([
      { name: "preflight", status: "succeeded", startedAt: 1000, durationMs: 40, lines: [{ stream: "info", line: "engine answers" }] },
      { name: "source", status: "running", startedAt: 1000, lines: [] },
      { name: "build", status: "pending", lines: [] },
    ]);
    expect(t.commit).toBe("abc");
    expect(t.final).toBeUndefined();
  });

  it("ends with the final event: a step still running when it failed is the failed one", () => {
    const t = run([
      { type: "step-started", deploymentId: 1, step: "release" },
      { type: "failed", deploymentId: 1, code: "E_RELEASE_FAILED", message: "exited 1", hint: { action: "read-deployment-log", deploymentId: 1 } },
    ]);
    expect(t.steps.find((s) => s.name === "release")?.status).toBe("failed");
    expect(t.final).toMatchObject({ type: "failed", code: "E_RELEASE_FAILED" });
    expect(hintText(t.final?.type === "failed" ? t.final.hint : undefined)).toBe("Read the log of the failed step below.");
  });

  it("keeps warnings, messages and the wait for a lock apart from the steps", () => {
    const t = run([
      { type: "lock-wait", deploymentId: 1, holder: "deployment 3" },
      { type: "warning", deploymentId: 1, text: "careful" },
    ]);
    expect(t.notes).toEqual(["waiting for the lock held by deployment 3", "careful"]);
    expect(hintText({ action: "deploy-first", environment: "test" })).toBe("Deploy test first.");
    expect(hintText({ action: "something-new" })).toBe("Next: something-new");
  });
});
