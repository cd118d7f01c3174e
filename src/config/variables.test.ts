import { describe, expect, it } from "vitest";
import { scanComposeSource } from "./compose-source.js";
import { findMissingVariables, layerVariables, lookupIn, variableOrigins, type VariableSource } from "./variables.js";

const lines = (...rows: string[]): string => rows.join("\n") + "\n";
const source = (name: string, values: Record<string, string | undefined>): VariableSource => ({ name, values });

describe("layerVariables", () => {
  it.each<{ name: string; sources: VariableSource[]; values: Record<string, string>; origin: Record<string, string> }>([
    { name: "no sources", sources: [], values: {}, origin: {} },
    { name: "one source", sources: [source(".env", { A: "1", B: "2" })], values: { A: "1", B: "2" }, origin: { A: ".env", B: ".env" } },
    {
      name: "a later source wins",
      sources: [source(".env", { A: "env", B: "env" }), source("process environment", { A: "proc" })],
      values: { A: "proc", B: "env" },
      origin: { A: "process environment", B: ".env" },
    },
    {
      name: "three layers",
      sources: [source(".env", { A: "1" }), source("process environment", { A: "2", C: "2" }), source("slipway", { A: "3" })],
      values: { A: "3", C: "2" },
      origin: { A: "slipway", C: "process environment" },
    },
    {
      name: "undefined does not unset an earlier value",
      sources: [source(".env", { A: "kept" }), source("process environment", { A: undefined, B: undefined })],
      values: { A: "kept" },
      origin: { A: ".env" },
    },
    {
      name: "an empty string does override",
      sources: [source(".env", { A: "x" }), source("process environment", { A: "" })],
      values: { A: "" },
      origin: { A: "process environment" },
    },
  ])("$name", ({ sources, values, origin }) => {
    const layered = layerVariables(sources);
    expect({ values: layered.values, origin: layered.origin }).toEqual({ values, origin });
  });

  it("does not change its sources", () => {
    const first = source(".env", { A: "1" });
    layerVariables([first, source("slipway", { A: "2" })]);
    expect(first.values).toEqual({ A: "1" });
  });
});

/**
 * The documented order, later wins: the compose project's .env, the process environment,
 * Slipway's store, the provider. Every pair of sources, both ways round: the later one wins,
 * whichever order they are listed in the table's case.
 */
describe("precedence of the variable sources", () => {
  const SOURCES = {
    dotenv: (v: string): VariableSource => ({ name: ".env", values: { X: v } }),
    process: (v: string): VariableSource => ({ name: "process environment", values: { X: v } }),
    store: (v: string): VariableSource => ({ name: "slipway env (version 1)", values: { X: v }, secret: true, version: 1 }),
    provider: (v: string): VariableSource => ({ name: "doppler (p/c)", values: { X: v }, secret: true }),
  } as const;
  const ORDER = ["dotenv", "process", "store", "provider"] as const;
  type Name = (typeof ORDER)[number];
  const pairs: Array<{ name: string; lower: Name; higher: Name }> = [
    { name: ".env < process environment", lower: "dotenv", higher: "process" },
    { name: ".env < store", lower: "dotenv", higher: "store" },
    { name: ".env < provider", lower: "dotenv", higher: "provider" },
    { name: "process environment < store", lower: "process", higher: "store" },
    { name: "process environment < provider", lower: "process", higher: "provider" },
    { name: "store < provider", lower: "store", higher: "provider" },
  ];

  it.each(pairs)("$name", ({ lower, higher }) => {
    const layered = layerVariables(ORDER.filter((n) => n === lower || n === higher).map((n) => SOURCES[n](n)));
    expect(layered.values.X).toBe(higher);
    expect(layered.origin.X).toBe(SOURCES[higher]("").name);
    // A secret source's winning value also overrides the containers' own values; a plain one does not.
    expect(layered.overrides).toEqual(higher === "store" || higher === "provider" ? { X: higher } : {});
    expect(layered.secretNames).toEqual(higher === "store" || higher === "provider" ? ["X"] : []);
  });

  it.each(pairs)("$name, and the lower one alone still applies", ({ lower }) => {
    expect(layerVariables([SOURCES[lower](lower)]).values.X).toBe(lower);
  });

  it("names that look secret are secret from any source", () => {
    const layered = layerVariables([{ name: ".env", values: { DB_PASSWORD: "x", API_TOKEN: "y", GREETING: "hi", SECRET_KEY: "k" } }]);
    expect([...layered.secretNames].sort()).toEqual(["API_TOKEN", "DB_PASSWORD", "SECRET_KEY"]);
    expect(layered.overrides).toEqual({});
  });
});

describe("lookupIn", () => {
  it.each<{ name: string; key: string; value: string | undefined }>([
    { name: "a set value", key: "A", value: "a" },
    { name: "an empty value", key: "E", value: "" },
    { name: "an unset name", key: "Z", value: undefined },
    { name: "an Object.prototype member", key: "toString", value: undefined },
  ])("$name", ({ key, value }) => {
    expect(lookupIn(layerVariables([source("s", { A: "a", E: "" })]))(key)).toBe(value);
  });
});

describe("findMissingVariables", () => {
  const FILE = "compose.yaml";
  const missing = (text: string, values: Record<string, string>): Array<[string, number, number, string | undefined]> =>
    findMissingVariables(scanComposeSource(FILE, text).references, layerVariables([source(".env", values)])).map((m) => [
      m.name,
      m.position.line,
      m.position.column,
      m.message,
    ]);

  it.each<{ name: string; text: string; values: Record<string, string>; expected: Array<[string, number, number, string | undefined]> }>([
    { name: "all set", text: lines("image: app:${TAG}"), values: { TAG: "1" }, expected: [] },
    { name: "a plain reference", text: lines("a: 1", "image: app:${TAG}"), values: {}, expected: [["TAG", 2, 12, undefined]] },
    { name: "an empty value is set for a plain reference", text: lines("image: app:${TAG}"), values: { TAG: "" }, expected: [] },
    { name: "a nested default shifts the column", text: lines("x: ${A:-${B}}"), values: {}, expected: [["B", 1, 9, undefined]] },
    { name: "two levels of nesting", text: lines("  x: ab${A:-${B:-$C}}"), values: {}, expected: [["C", 1, 18, undefined]] },
    { name: "nested inside a quoted scalar", text: lines("x: 'q ${A:+--flag=${B}}'"), values: { A: "1" }, expected: [["B", 1, 19, undefined]] },
    { name: "nested alternate not taken", text: lines("x: ${A:+${B}}"), values: {}, expected: [] },
    { name: ":? carries its message", text: lines("db:", "  pw: ${PW:?set PW in .env}"), values: {}, expected: [["PW", 2, 7, "set PW in .env"]] },
    { name: ":? with an empty value", text: lines("pw: ${PW:?}"), values: { PW: "" }, expected: [["PW", 1, 5, undefined]] },
    {
      name: "file order across lines and kinds",
      text: lines("services:", "  web:", "    image: ${IMG}", "    environment:", "      - A=${A:-$D}", "      - B=$B ${C?c}"),
      values: {},
      expected: [["IMG", 3, 12, undefined], ["D", 5, 16, undefined], ["B", 6, 11, undefined], ["C", 6, 14, "c"]],
    },
    { name: "a missing variable in a block scalar", text: lines("cmd: |", "  a", "  run ${X}"), values: {}, expected: [["X", 3, 7, undefined]] },
  ])("$name", ({ text, values, expected }) => {
    expect(missing(text, values)).toEqual(expected);
  });

  it("keeps the file of each reference and omits message when there is none", () => {
    const [gap] = findMissingVariables(scanComposeSource("other.yml", "x: ${A}\n").references, layerVariables([]));
    expect(gap?.position.file).toBe("other.yml");
    expect(gap).not.toHaveProperty("message");
  });
});

describe("variableOrigins", () => {
  const refs = scanComposeSource("c.yml", lines("a: ${B} ${A}", "b: ${A:-${NESTED}} $C")).references;

  it.each<{ name: string; sources: VariableSource[]; expected: Array<{ name: string; origin: string | undefined }> }>([
    {
      name: "sorted, once each, outer names only",
      sources: [],
      expected: [
        { name: "A", origin: undefined },
        { name: "B", origin: undefined },
        { name: "C", origin: undefined },
      ],
    },
    {
      name: "the winning source is named",
      sources: [source(".env", { A: "1", B: "1" }), source("process environment", { B: "2", NESTED: "3" })],
      expected: [
        { name: "A", origin: ".env" },
        { name: "B", origin: "process environment" },
        { name: "C", origin: undefined },
      ],
    },
  ])("$name", ({ sources, expected }) => {
    expect(variableOrigins(refs, layerVariables(sources))).toEqual(expected);
  });
});
