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
    events.stepStarted("build");
    events.log("build", "stdout", "Step 1/3");
    events.stepFinished("build", "succeeded", 1234, "built");
    expect(out.map((line) => JSON.parse(line) as unknown)).toEqual([
      { at: "2026-11-23T20:00:00.000Z", event: "step", step: "build", status: "started" },
      { at: "2026-11-23T20:00:00.000Z", event: "log", step: "build", stream: "stdout", line: "Step 1/3" },
      { at: "2026-11-23T20:00:00.000Z", event: "step", step: "build", status: "succeeded", durationMs: 1234, detail: "built" },
    ]);
  });

  it("prints plain timestamped lines for CI", () => {
    const out: string[] = [];
    const events = plainEvents((t) => out.push(t), at);
    events.stepStarted("verify");
    events.log("verify", "info", "web ready");
    events.stepFinished("verify", "failed", 2500, "not ready");
    expect(out.join("")).toBe(
      ["2026-11-23T20:00:00.000Z verify: started", "2026-11-23T20:00:00.000Z verify | web ready", "2026-11-23T20:00:00.000Z verify: failed in 2.5s (not ready)", ""].join("\n"),
    );
  });
});
