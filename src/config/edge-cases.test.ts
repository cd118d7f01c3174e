/** Edge cases of reading input that once went wrong: each was a real bug. */
import { describe, expect, it } from "vitest";
import { chooseComposeFiles, chooseEnvironment } from "./compose-files.js";
import { scanComposeSource } from "./compose-source.js";
import { DEFAULT_CONFIG } from "./default-config.js";
import { readSlipwayConfig } from "./read-slipway-config.js";
import { findMissingVariables, layerVariables, variableOrigins } from "./variables.js";

const names = (text: string): string[] => scanComposeSource("c.yml", text).references.map((r) => r.reference.name);

describe("compose sources", () => {
  it.each([
    { name: "a comment on a literal block header", text: "x: | # ${COMMENT}\n  echo\n" },
    { name: "a comment on a folded block header", text: "x: >- # ${C2}\n  echo\n" },
  ])("ignores $name", ({ text }) => {
    expect(names(text)).toEqual([]);
  });

  it.each([
    { name: "in a block scalar", text: "x: |\n  ${A:-\n  ${B}}\n", expected: { line: 3, column: 3 } },
    { name: "in a double-quoted scalar", text: 'x: "${A:-\n  ${B}}"\n', expected: { line: 2, column: 3 } },
  ])("places a nested reference on a later line $name", ({ text, expected }) => {
    const refs = scanComposeSource("c.yml", text).references;
    const missing = findMissingVariables(refs, layerVariables([]));
    expect(missing.map((m) => ({ name: m.name, line: m.position.line, column: m.position.column }))).toEqual([{ name: "B", ...expected }]);
  });

  it.each([
    { name: "services given by an alias", text: "x: &s\n  a: {}\nservices: *s\n", expected: ["a"] },
    { name: "services merged from an anchor", text: "x: &s\n  a: {}\nservices:\n  <<: *s\n  b: {}\n", expected: ["a", "b"] },
  ])("lists $name", ({ text, expected }) => {
    expect(scanComposeSource("c.yml", text).serviceNames).toEqual(expected);
  });
});

describe("names that are also Object.prototype properties", () => {
  it("an undeclared environment named constructor is still undeclared", () => {
    const result = chooseEnvironment({ ...DEFAULT_CONFIG, environments: { production: {} } }, "constructor");
    expect(result.ok).toBe(false);
  });

  it("an environment named constructor looks for its own override file", () => {
    const seen: string[] = [];
    const result = chooseComposeFiles({ config: DEFAULT_CONFIG, environmentName: "constructor", environment: undefined, exists: (f) => (seen.push(f), f === "compose.yaml") });
    expect(result).toMatchObject({ ok: true, files: ["compose.yaml"], origin: "inferred" });
    expect(seen).toContain("compose.constructor.yml");
  });

  it("variables named toString or __proto__ are ordinary variables", () => {
    const refs = scanComposeSource("c.yml", "x: ${toString}\ny: ${__proto__}\n").references;
    expect(variableOrigins(refs, layerVariables([]))).toEqual([
      { name: "__proto__", origin: undefined },
      { name: "toString", origin: undefined },
    ]);
    expect(layerVariables([{ name: "env", values: JSON.parse('{"__proto__":"x"}') as Record<string, string> }]).values.__proto__).toBe("x");
  });
});

describe("slipway.yml errors inside a union or a missing key", () => {
  it("reports a bad duration inside release: at its own position", () => {
    const result = readSlipwayConfig("slipway.yml", "release:\n  timeout: 10x\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ position: { file: "slipway.yml", line: 2, column: 12 }, message: expect.stringMatching(/^release\.timeout: "10x" is not a duration/) as unknown }]);
  });

  it("reports a missing route port at the route", () => {
    const result = readSlipwayConfig("slipway.yml", "routes:\n  - service: web\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.position).toEqual({ file: "slipway.yml", line: 2, column: 5 });
    expect(result.problems[0]?.message).toMatch(/^routes\.0\.port: /);
  });
});
