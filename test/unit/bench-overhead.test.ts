/** The benchmark's Slipway overhead: measured part by part, never a remainder that can go negative. */
import { describe, expect, it } from "vitest";
import { overheadOf, type TimedEvent } from "../../bench/overhead.js";

const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const step = (name: string, from: number, to: number): TimedEvent[] => [
  { at: at(from), event: "step", step: name, status: "started" },
  { at: at(to), event: "step", step: name, status: "succeeded", durationMs: to - from },
];

describe("Slipway's overhead in a deployment", () => {
  it("adds the measured spans: start-up, gaps, its own steps, and the end", () => {
    const events = [...step("preflight", 200, 300), ...step("release", 310, 1310), ...step("switch", 1320, 1340)];
    expect(overheadOf(events, T0, T0 + 1400)).toEqual({ beforeFirstStepMs: 200, betweenStepsMs: 20, ownStepsMs: 120, afterLastStepMs: 60, totalMs: 400 });
  });

  it("stays positive where the naive remainder goes negative", () => {
    // Release 2 s, start 2 s, verify 1.5 s and a 1 s drain "expected" inside the retire: 6.5 s of
    // intrinsic time against 6.2 s of wall time (the drain ended early, once the old servers were
    // idle). The remainder says -0.3 s; the spans say what Slipway really took.
    const events = [...step("preflight", 100, 250), ...step("release", 260, 2260), ...step("start", 2270, 4270), ...step("verify", 4280, 5780), ...step("switch", 5790, 5810), ...step("retire", 5820, 6100)];
    const wall = 6200;
    const naive = wall - (2000 + 2000 + 1500 + 1000);
    expect(naive).toBeLessThan(0);
    const o = overheadOf(events, T0, T0 + wall);
    expect(o).toEqual({ beforeFirstStepMs: 100, betweenStepsMs: 50, ownStepsMs: 170, afterLastStepMs: 100, totalMs: 420 });
  });

  it("refuses output with no step in it", () => {
    expect(() => overheadOf([{ at: at(0), event: "message" }], T0, T0 + 10)).toThrow(/no step events/);
  });
});
