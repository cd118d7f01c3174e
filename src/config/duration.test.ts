import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each<{ name: string; input: string | number; ms: number }>([
    { name: "a number is seconds", input: 3, ms: 3000 },
    { name: "zero", input: 0, ms: 0 },
    { name: "fractional seconds", input: 0.5, ms: 500 },
    { name: "milliseconds", input: "500ms", ms: 500 },
    { name: "seconds", input: "2s", ms: 2000 },
    { name: "minutes", input: "10m", ms: 600_000 },
    { name: "hours", input: "1h", ms: 3_600_000 },
    { name: "a bare numeric string is seconds", input: "10", ms: 10_000 },
    { name: "decimals with a unit", input: "1.5s", ms: 1500 },
    { name: "rounded to whole milliseconds", input: "0.0004s", ms: 0 },
    { name: "spaces around and before the unit", input: " 10 m ", ms: 600_000 },
  ])("$name: $input", ({ input, ms }) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each<{ name: string; input: string | number }>([
    { name: "negative number", input: -1 },
    { name: "NaN", input: Number.NaN },
    { name: "Infinity", input: Number.POSITIVE_INFINITY },
    { name: "negative string", input: "-1s" },
    { name: "unknown unit", input: "1d" },
    { name: "upper-case unit", input: "1S" },
    { name: "exponent", input: "1e3" },
    { name: "leading dot", input: ".5s" },
    { name: "trailing dot", input: "1.s" },
    { name: "unit alone", input: "ms" },
    { name: "empty", input: "" },
    { name: "two parts", input: "1m30s" },
  ])("rejects $name", ({ input }) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});
