import { describe, expect, it } from "vitest";
import { jsonEvents, plainEvents, progressMode } from "./progress.js";

const at = () => new Date("2026-11-23T20:00:00.000Z");

describe("progress", () => {
  it.each([
    { name: "--json wins", flags: { json: true }, tty: true, env: {}, expected: "json" },
    { name: "a terminal", flags: {}, tty: true, env: {}, expected: "tty" },
    { name: "CI on a terminal", flags: {}, tty: true, env: { CI: "true" }, expected: "plain" },
    { name: "a pipe", flags: {}, tty: false, env: {}, expected: "plain" },
  ])("mode: $name", ({ flags, tty, env, expected }) => {
    expect(progressMode(flags, tty, env)).toBe(expected);
  });

  it("prints one JSON object per event", () => {
    const out: string[] = [];
    const events = jsonEvents((t) => out.push(t), at);
    events({ type: "step-started", deploymentId: 7, step: "build" });
    events({ type: "log", deploymentId: 7, step: "build", stream: "stdout", line: "Step 1/3" });
    events({ type: "step-finished", deploymentId: 7, step: "build", outcome: "succeeded", durationMs: 1234, detail: "built" });
    events({ type: "failed", deploymentId: 7, code: "E_RELEASE_FAILED", message: "the release task release exited with 1", hint: { action: "read-deployment-log", deploymentId: 7 } });
    expect(out.map((line) => JSON.parse(line) as unknown)).toEqual([
      { at: "2026-11-23T20:00:00.000Z", event: "step", deploymentId: 7, step: "build", status: "started" },
      { at: "2026-11-23T20:00:00.000Z", event: "log", deploymentId: 7, step: "build", stream: "stdout", line: "Step 1/3" },
      { at: "2026-11-23T20:00:00.000Z", event: "step", deploymentId: 7, step: "build", status: "succeeded", durationMs: 1234, detail: "built" },
      {
        at: "2026-11-23T20:00:00.000Z",
        event: "failed",
        deploymentId: 7,
        code: "E_RELEASE_FAILED",
        message: "the release task release exited with 1 (slipway logs --deployment 7)",
        hint: { action: "read-deployment-log", deploymentId: 7 },
      },
    ]);
  });

  it("prints plain timestamped lines for CI", () => {
    const out: string[] = [];
    const events = plainEvents((t) => out.push(t), at);
    events({ type: "queued", deploymentId: 3, kind: "deploy", ref: "main", commit: "0123456789abcdef" });
    events({ type: "step-started", deploymentId: 3, step: "verify" });
    events({ type: "log", deploymentId: 3, step: "verify", stream: "info", line: "web ready" });
    events({ type: "step-finished", deploymentId: 3, step: "verify", outcome: "failed", durationMs: 2500, detail: "not ready" });
    expect(out.join("")).toBe(
      [
        "2026-11-23T20:00:00.000Z deployment 3: main (0123456789ab)",
        "2026-11-23T20:00:00.000Z verify: started",
        "2026-11-23T20:00:00.000Z verify | web ready",
        "2026-11-23T20:00:00.000Z verify: failed in 2.5s (not ready)",
        "",
      ].join("\n"),
    );
  });
});
