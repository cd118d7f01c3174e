import { describe, expect, it } from "vitest";
import { missingReferences, parseInterpolation, referencedNames, type ReferenceKind, type VariableReference } from "./interpolation.js";

interface Flat {
  readonly name: string;
  readonly offset: number;
  readonly kind: ReferenceKind;
  readonly emptyIsUnset: boolean;
  readonly operand: string;
}

const flat = (refs: readonly VariableReference[]): Flat[] =>
  refs.map(({ name, offset, kind, emptyIsUnset, operand }) => ({ name, offset, kind, emptyIsUnset, operand }));

const ref = (name: string, offset: number, kind: ReferenceKind = "plain", emptyIsUnset = false, operand = ""): Flat => ({
  name,
  offset,
  kind,
  emptyIsUnset,
  operand,
});

describe("parseInterpolation", () => {
  it.each<{ name: string; text: string; refs: Flat[] }>([
    { name: "no dollar at all", text: "plain text", refs: [] },
    { name: "braced plain", text: "x:${TAG}", refs: [ref("TAG", 2)] },
    { name: "unbraced $VAR stops at the first non-name char", text: "a $HOST-b", refs: [ref("HOST", 2)] },
    { name: "unbraced name with digits and _", text: "$A_1x", refs: [ref("A_1x", 0)] },
    { name: "lone $ and $ before a digit are not references", text: "$ 5$ $1A", refs: [] },
    { name: "several on one line keep their offsets", text: "${A}/${B} $C", refs: [ref("A", 0), ref("B", 5), ref("C", 10)] },
    { name: ":- default", text: "${A:-x}", refs: [ref("A", 0, "default", true, "x")] },
    { name: "- default", text: "${A-x}", refs: [ref("A", 0, "default", false, "x")] },
    { name: ":? required with message", text: "${A:?set A}", refs: [ref("A", 0, "required", true, "set A")] },
    { name: "? required with message", text: "${A?set A}", refs: [ref("A", 0, "required", false, "set A")] },
    { name: ":+ alternate", text: "${A:+on}", refs: [ref("A", 0, "alternate", true, "on")] },
    { name: "+ alternate", text: "${A+on}", refs: [ref("A", 0, "alternate", false, "on")] },
    { name: "empty operand", text: "${A_1-}", refs: [ref("A_1", 0, "default", false, "")] },
    { name: "operand may contain : and spaces", text: "${URL:-http://h:80/x y}", refs: [ref("URL", 0, "default", true, "http://h:80/x y")] },
    { name: "$$ escapes a braced reference", text: "$${A} ${B}", refs: [ref("B", 6)] },
    { name: "$$ escapes an unbraced reference", text: "$$A", refs: [] },
    { name: "$$$A is an escaped $ then a reference", text: "$$$A", refs: [ref("A", 2)] },
    { name: "$$ inside an operand is not a nested reference", text: "${A:-$$B}", refs: [ref("A", 0, "default", true, "$$B")] },
  ])("$name", ({ text, refs }) => {
    const parsed = parseInterpolation(text);
    expect(flat(parsed.references)).toEqual(refs);
    expect(parsed.errors).toEqual([]);
  });

  it("adds base to every offset, nested ones included", () => {
    const [outer] = parseInterpolation("${A:-${B}}", 100).references;
    expect(outer?.offset).toBe(100);
    expect(outer?.nested.map((r) => r.offset)).toEqual([105]);
  });

  it.each<{ name: string; text: string; nested: string[][] }>([
    { name: "default holding a braced reference", text: "${A:-${B}}", nested: [["B", "5"]] },
    { name: "default holding an unbraced reference", text: "${A-$B}", nested: [["B", "4"]] },
    { name: "alternate holding two references", text: "${A:+${B}:$C}", nested: [["B", "5"], ["C", "10"]] },
  ])("nested: $name", ({ text, nested }) => {
    const [outer, ...others] = parseInterpolation(text).references;
    expect(others).toEqual([]);
    expect(outer?.nested.map((r) => [r.name, String(r.offset)])).toEqual(nested);
  });

  it("nests three deep, with absolute offsets and operands", () => {
    const { references, errors } = parseInterpolation("x ${A:-${B:-$C}} y");
    expect(errors).toEqual([]);
    expect(flat(references)).toEqual([ref("A", 2, "default", true, "${B:-$C}")]);
    const b = references[0]?.nested ?? [];
    expect(flat(b)).toEqual([ref("B", 7, "default", true, "$C")]);
    expect(flat(b[0]?.nested ?? [])).toEqual([ref("C", 12)]);
  });

  it("closes a reference at the first unmatched }", () => {
    const { references } = parseInterpolation("${A:-x}y}");
    expect(flat(references)).toEqual([ref("A", 0, "default", true, "x")]);
  });

  it.each<{ name: string; text: string; errors: Array<[number, string]>; names: string[] }>([
    { name: "unterminated ${", text: "a ${A} ${B", errors: [[7, "unterminated ${"]], names: ["A"] },
    { name: "unterminated nested ${", text: "${A:-${B}", errors: [[0, "unterminated ${"]], names: [] },
    { name: "name starting with a digit", text: "${1A} ${B}", errors: [[0, 'invalid interpolation "${1A}": a variable name']], names: ["B"] },
    { name: "empty braces", text: "x${}", errors: [[1, 'invalid interpolation "${}"']], names: [] },
    { name: "space before the name", text: "${ A}", errors: [[0, 'invalid interpolation "${ A}"']], names: [] },
    { name: "unknown operator !", text: "${A!x}", errors: [[0, 'invalid interpolation "${A!x}": unknown operator after A']], names: [] },
    { name: "a lone : is not an operator", text: "${A:x}", errors: [[0, "invalid interpolation \"${A:x}\": unknown operator"]], names: [] },
    { name: "error inside an operand, at its own offset", text: "${A:-${1B}}", errors: [[5, 'invalid interpolation "${1B}"']], names: ["A"] },
  ])("syntax error: $name", ({ text, errors, names }) => {
    const parsed = parseInterpolation(text);
    expect(parsed.errors.map((e) => e.offset)).toEqual(errors.map(([offset]) => offset));
    parsed.errors.forEach((error, i) => expect(error.message.startsWith(errors[i]?.[1] ?? "\0")).toBe(true));
    expect(parsed.references.map((r) => r.name)).toEqual(names);
  });
});

describe("missingReferences", () => {
  type State = "unset" | "empty" | "set";
  const lookupFor =
    (state: State) =>
    (name: string): string | undefined =>
      name === "A" ? { unset: undefined, empty: "", set: "value" }[state] : undefined;

  // For default/alternate forms the operand is `${B}` with B always unset: B is missing exactly
  // when the operand is the branch taken.
  const forms: Array<[form: string, text: string, unset: string[], empty: string[], set: string[]]> = [
    ["braced plain", "${A}", ["A"], [], []],
    ["unbraced plain", "$A", ["A"], [], []],
    [":-", "${A:-${B}}", ["B"], ["B"], []],
    ["-", "${A-${B}}", ["B"], [], []],
    [":?", "${A:?need A}", ["A"], ["A"], []],
    ["?", "${A?need A}", ["A"], [], []],
    [":+", "${A:+${B}}", [], [], ["B"]],
    ["+", "${A+${B}}", [], ["B"], ["B"]],
  ];
  const cases = forms.flatMap(([form, text, ...expected]) =>
    (["unset", "empty", "set"] as const).map((state, i) => ({ name: `${form} with A ${state}`, text, state, missing: expected[i] ?? [] })),
  );

  it.each(cases)("$name", ({ text, state, missing }) => {
    const result = missingReferences(parseInterpolation(text).references, lookupFor(state));
    expect(result.map((m) => m.name)).toEqual(missing);
  });

  it.each<{ name: string; text: string; message: string | undefined }>([
    { name: ":? carries its message", text: "${A:?set A in .env}", message: "set A in .env" },
    { name: "? carries its message", text: "${A?set A}", message: "set A" },
    { name: "an empty :? has no message", text: "${A:?}", message: undefined },
    { name: "a plain reference has no message", text: "${A}", message: undefined },
  ])("$name", ({ text, message }) => {
    const [gap, ...rest] = missingReferences(parseInterpolation(text).references, () => undefined);
    expect(rest).toEqual([]);
    expect(gap?.name).toBe("A");
    if (message === undefined) expect(gap).not.toHaveProperty("message");
    else expect(gap?.message).toBe(message);
  });

  it.each<{ name: string; text: string; env: Record<string, string>; missing: Array<[string, number]> }>([
    { name: "outer default taken, inner default set", text: "${A:-${B:-${C}}}", env: { B: "b" }, missing: [] },
    { name: "outer and inner defaults taken", text: "${A:-${B:-${C}}}", env: {}, missing: [["C", 10]] },
    { name: "outer set: nested never counted", text: "${A:-${B:-${C}}}", env: { A: "a" }, missing: [] },
    { name: "several references, in order", text: "$X ${A:-$Y} ${Z}", env: {}, missing: [["X", 0], ["Y", 8], ["Z", 12]] },
    { name: "alternate taken, nested required reports its offset", text: "${A:+${B:?b}}", env: { A: "1" }, missing: [["B", 5]] },
  ])("$name", ({ text, env, missing }) => {
    const result = missingReferences(parseInterpolation(text).references, (n) => env[n]);
    expect(result.map((m) => [m.name, m.offset])).toEqual(missing);
  });
});

describe("referencedNames", () => {
  it.each<{ name: string; text: string; names: string[] }>([
    { name: "nothing", text: "no refs $$X", names: [] },
    { name: "every depth", text: "${A:-${B:+$C}}", names: ["A", "B", "C"] },
    { name: "each name once", text: "$A ${A} ${A:-x} $B", names: ["A", "B"] },
    { name: "escaped and invalid ones are not names", text: "$${E} ${1X} ${OK}", names: ["OK"] },
    { name: "the message of :? is not parsed as a name", text: "${A:?B is required}", names: ["A"] },
  ])("$name", ({ text, names }) => {
    expect([...referencedNames(parseInterpolation(text).references)].sort()).toEqual(names);
  });
});
