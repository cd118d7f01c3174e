import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { composeEnvFile, dotenvText, isVariableName } from "./env-file.js";

const NASTY = {
  PLAIN: "value",
  SPACES: "a b  c",
  DOLLAR: "pa$$word ${HOME} $HOME",
  QUOTES: `it's "quoted"`,
  BACKSLASH: "C:\\path\\n not a newline",
  NEWLINES: "line1\nline2",
  EMPTY: "",
  HASH: "a #not a comment",
};

describe("env files", () => {
  it("for compose: single quotes when they can hold the value, else escaped double quotes", () => {
    expect(composeEnvFile({ A: "x $HOME", B: "it's", C: "l1\nl2", D: `a\\b"$c'` })).toBe(`A='x $HOME'\nB="it's"\nC="l1\\nl2"\nD="a\\\\b\\"\\$c'"\n`);
  });

  it("for export: what the dotenv reader (slipway env import) reads back", () => {
    const text = dotenvText(NASTY);
    expect(parse(text)).toEqual(NASTY);
    expect(text.split("\n")[0]).toMatch(/^BACKSLASH=/); // sorted
  });

  it.each([
    ["A", true],
    ["_A1", true],
    ["a_b", true],
    ["1A", false],
    ["A-B", false],
    ["", false],
    ["A B", false],
  ] as const)("%s is a variable name: %s", (name, ok) => {
    expect(isVariableName(name)).toBe(ok);
  });
});
