import { describe, expect, it } from "vitest";
import { scanComposeSource, servicesWhoseImageNames } from "./compose-source.js";

const FILE = "compose.yaml";
const lines = (...rows: string[]): string => rows.join("\n") + "\n";

/** [name, line, column] of every reference found, in file order. */
const located = (text: string): Array<[string, number, number]> =>
  scanComposeSource(FILE, text).references.map(({ reference, position }) => [reference.name, position.line, position.column]);

describe("scanComposeSource references", () => {
  it.each<{ name: string; text: string; refs: Array<[string, number, number]> }>([
    { name: "plain scalar", text: lines("services:", "  web:", "    image: app:${TAG}"), refs: [["TAG", 3, 16]] },
    { name: "unbraced plain scalar", text: lines("x: $HOST"), refs: [["HOST", 1, 4]] },
    { name: "single-quoted scalar (column counts the quote)", text: lines("x: 'a ${A}'"), refs: [["A", 1, 7]] },
    { name: "single-quoted with a doubled quote", text: lines("x: 'it''s ${Q}'"), refs: [["Q", 1, 11]] },
    { name: "double-quoted scalar", text: lines('x: "${A}-${B}"'), refs: [["A", 1, 5], ["B", 1, 10]] },
    { name: "double-quoted spanning lines", text: lines('x: "${A}', '  ${B}"'), refs: [["A", 1, 5], ["B", 2, 3]] },
    {
      name: "block scalar (|)",
      text: lines("services:", "  web:", "    command: |", "      echo ${A}", "      run $B --x=${C:-1}"),
      refs: [["A", 4, 12], ["B", 5, 11], ["C", 5, 18]],
    },
    { name: "folded block scalar (>)", text: lines("x: >", "  one ${A}", "  two ${B}"), refs: [["A", 2, 7], ["B", 3, 7]] },
    { name: "several on one line", text: lines("x: ${A}${B} $C ${D:-d}"), refs: [["A", 1, 4], ["B", 1, 8], ["C", 1, 13], ["D", 1, 16]] },
    {
      name: "list items",
      text: lines("services:", "  web:", "    environment:", "      - FOO=${BAR}", "      - BAZ=${QUX:?set it}"),
      refs: [["BAR", 4, 13], ["QUX", 5, 13]],
    },
    { name: "flow sequence", text: lines('cmd: ["run", "${A}", $B]'), refs: [["A", 1, 15], ["B", 1, 22]] },
    { name: "flow mapping values only", text: lines('m: {"${K}": "${V}"}'), refs: [["V", 1, 14]] },
    { name: "tagged scalar", text: lines("x: !!str ${T}"), refs: [["T", 1, 10]] },
    { name: "CRLF line endings", text: "a: 1\r\nb: ${B}\r\n", refs: [["B", 2, 4]] },
    { name: "escaped $$ is skipped", text: lines("x: $${NOT} ${YES}"), refs: [["YES", 1, 12]] },
    { name: "nested references belong to their outer reference", text: lines("x: ${A:-${B}}"), refs: [["A", 1, 4]] },
  ])("$name", ({ text, refs }) => {
    const scanned = scanComposeSource(FILE, text);
    expect(scanned.problems).toEqual([]);
    expect(located(text)).toEqual(refs);
    expect(scanned.references.every((r) => r.position.file === FILE)).toBe(true);
  });

  it.each<{ name: string; text: string; refs: Array<[string, number, number]> }>([
    { name: "mapping keys", text: lines("${KEY}: ${VALUE}"), refs: [["VALUE", 1, 9]] },
    { name: "quoted mapping keys", text: lines('"${KEY}": v'), refs: [] },
    { name: "explicit keys", text: lines("? ${KEY}", ": ${V}"), refs: [["V", 2, 3]] },
    { name: "a comment after a value", text: lines("x: ${A} # uses ${C}"), refs: [["A", 1, 4]] },
    { name: "full-line comments", text: lines("# ${TOP}", "x:", "  # ${INNER}", "  y: 1"), refs: [] },
    { name: "non-string scalars", text: lines("port: 8080", "on: true", "none: null"), refs: [] },
  ])("ignores $name", ({ text, refs }) => {
    expect(located(text)).toEqual(refs);
  });

  it("reports a value shared through an anchor once, at the anchor", () => {
    expect(located(lines("x: &v ${A}", "y: *v", "z: [*v, *v]"))).toEqual([["A", 1, 7]]);
  });

  it("reports merged (<<: *x) values once, at their definition", () => {
    const text = lines(
      "x-base: &base",
      "  image: ${IMG}",
      "services:",
      "  web:",
      "    <<: *base",
      "    environment: ['E=${E}']",
      "  worker:",
      "    <<: *base",
    );
    const scanned = scanComposeSource(FILE, text);
    expect(scanned.problems).toEqual([]);
    expect(located(text)).toEqual([["IMG", 2, 10], ["E", 6, 22]]);
    expect(scanned.serviceNames).toEqual(["web", "worker"]);
  });

  it("keeps the parsed reference (kind, operand, absolute offset)", () => {
    const [first] = scanComposeSource(FILE, lines("a: 1", "b: ${B:?need B}")).references;
    expect(first?.reference).toMatchObject({ name: "B", kind: "required", emptyIsUnset: true, operand: "need B", offset: 8 });
  });
});

describe("scanComposeSource problems", () => {
  it.each<{ name: string; text: string; problems: Array<[number, number, string]> }>([
    { name: "unterminated flow sequence", text: lines("services:", "  web: [a"), problems: [[3, 1, "invalid YAML: Flow sequence"]] },
    { name: "duplicate keys", text: lines("services:", "  web: {}", "  web: {}"), problems: [[3, 3, "invalid YAML: Map keys must be unique"]] },
    { name: "bad indentation", text: lines("a: x", "  b: y"), problems: [[1, 4, "invalid YAML: "], [1, 4, "invalid YAML: "]] },
    { name: "several documents", text: lines("a: 1", "---", "b: 2"), problems: [[2, 1, "invalid YAML: Source contains multiple documents"]] },
  ])("YAML: $name", ({ text, problems }) => {
    const scanned = scanComposeSource(FILE, text);
    expect(scanned.problems.map((p) => [p.position.line, p.position.column])).toEqual(problems.map(([l, c]) => [l, c]));
    scanned.problems.forEach((p, i) => expect(p.message.startsWith(problems[i]?.[2] ?? "\0")).toBe(true));
    expect(scanned.problems.every((p) => !p.message.includes("\n"))).toBe(true);
    expect(scanned.references).toEqual([]);
    expect(scanned.serviceNames).toEqual([]);
  });

  it.each<{ name: string; text: string; problems: Array<[number, number, string]>; refs: string[] }>([
    { name: "bad name", text: lines("a: ok", "b: x ${1A} ${B}"), problems: [[2, 6, 'invalid interpolation "${1A}"']], refs: ["B"] },
    { name: "unknown operator", text: lines("b: '${A!x}'"), problems: [[1, 5, 'invalid interpolation "${A!x}"']], refs: [] },
    { name: "unterminated", text: lines("a: ${A}", "b: ${B"), problems: [[2, 4, "unterminated ${"]], refs: ["A"] },
    { name: "inside an operand", text: lines("b: ${A:-${2}}"), problems: [[1, 9, 'invalid interpolation "${2}"']], refs: ["A"] },
  ])("interpolation: $name", ({ text, problems, refs }) => {
    const scanned = scanComposeSource(FILE, text);
    expect(scanned.problems.map((p) => [p.position.line, p.position.column])).toEqual(problems.map(([l, c]) => [l, c]));
    scanned.problems.forEach((p, i) => expect(p.message.startsWith(problems[i]?.[2] ?? "\0")).toBe(true));
    expect(scanned.references.map((r) => r.reference.name)).toEqual(refs);
  });
});

describe("scanComposeSource serviceNames", () => {
  it.each<{ name: string; text: string; services: string[] }>([
    { name: "file order, not sorted", text: lines("services:", "  web: {}", "  db: {}", "  api: {}"), services: ["web", "db", "api"] },
    { name: "only top-level services", text: lines("x:", "  services:", "    nope: {}", "services:", "  yes: {}"), services: ["yes"] },
    { name: "no services key", text: lines("volumes:", "  data: {}"), services: [] },
    { name: "services: null", text: lines("services:"), services: [] },
    { name: "empty file", text: "", services: [] },
    { name: "a top-level list", text: lines("- services"), services: [] },
    { name: "numeric names keep file order", text: lines("services:", "  web: {}", "  10: {}", "  db: {}"), services: ["web", "10", "db"] },
    { name: "a quoted services key", text: lines('"services":', "  a: {}"), services: ["a"] },
  ])("$name", ({ text, services }) => {
    expect(scanComposeSource(FILE, text).serviceNames).toEqual(services);
  });
});

describe("servicesWhoseImageNames", () => {
  it.each<{ name: string; files: string[]; services: string[] }>([
    { name: "image: app:${TAG}", files: [lines("services:", "  web:", "    image: app:${TAG}")], services: ["web"] },
    { name: "a default does not hide it", files: [lines("services:", "  web:", "    image: app:${TAG:-dev}")], services: ["web"] },
    { name: "inside another variable's default", files: [lines("services:", "  web:", "    image: ${IMAGE:-app:${TAG}}")], services: ["web"] },
    { name: "beside a registry variable", files: [lines("services:", "  web:", "    image: ${REGISTRY}/app:${TAG}")], services: ["web"] },
    { name: "another variable only", files: [lines("services:", "  web:", "    image: app:${VERSION}")], services: [] },
    { name: "TAG elsewhere in the service", files: [lines("services:", "  web:", "    image: app", "    environment:", "      V: ${TAG}")], services: [] },
    { name: "an image key outside services", files: [lines("x-base:", "  image: app:${TAG}")], services: [] },
    {
      name: "across files, each service once",
      files: [lines("services:", "  web:", "    image: app:${TAG}"), lines("services:", "  web:", "    image: app:${TAG}", "  worker:", "    image: app:${TAG}")],
      services: ["web", "worker"],
    },
  ])("$name", ({ files, services }) => {
    expect(servicesWhoseImageNames(files.map((text, i) => scanComposeSource(`f${i}.yml`, text)), "TAG")).toEqual(services);
  });
});
