import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { MASK, Redactor, redactData } from "./redact.js";

const KEY = "-----BEGIN KEY-----\nMIIEabcdef\nline with $dollar\n\tq\"uoted\" 'line'\n  indented line\nab\n-----END KEY-----\n";

describe("Redactor", () => {
  it.each<{ name: string; secrets: string[]; text: string; shown: string }>([
    { name: "nothing known", secrets: [], text: "hello s3cr3t", shown: "hello s3cr3t" },
    { name: "every occurrence", secrets: ["s3cr3t"], text: "s3cr3t and s3cr3t", shown: `${MASK} and ${MASK}` },
    { name: "shorter than 4 characters is left alone", secrets: ["abc", "on"], text: "abc on", shown: "abc on" },
    { name: "exactly 4 characters", secrets: ["abcd"], text: "xabcdx", shown: `x${MASK}x` },
    { name: "the longer of two overlapping secrets whole", secrets: ["pass", "password123"], text: "password123 pass", shown: `${MASK} ${MASK}` },
    { name: "regular expression characters are literal", secrets: ["a.b*c(d)$"], text: "a.b*c(d)$ axbbc", shown: `${MASK} axbbc` },
    { name: "a multi-line secret, whole and line by line", secrets: ["-----BEGIN KEY-----\nMIIEabcdef\n-----END KEY-----"], text: "line MIIEabcdef", shown: `line ${MASK}` },
    { name: "a line as compose prints it, $ doubled", secrets: [KEY], text: "X: line with $$dollar", shown: `X: ${MASK}` },
    { name: "a line JSON-escaped", secrets: [KEY], text: '"\\tq\\"uoted\\" \'line\'"', shown: `"${MASK}"` },
    { name: "a line without its indentation", secrets: [KEY], text: "> indented line", shown: `> ${MASK}` },
    { name: "a line shorter than 4 characters is left alone", secrets: [KEY], text: "ab", shown: "ab" },
  ])("$name", ({ secrets, text, shown }) => {
    expect(new Redactor().add(secrets).apply(text)).toBe(shown);
  });

  it("masks every line of a multi-line value in JSON and in compose's escaped form", () => {
    const redactor = new Redactor().add([KEY]);
    const lines = KEY.split("\n").filter((line) => line.trim().length >= 4);
    const printed = [JSON.stringify({ KEY }), JSON.stringify({ KEY: KEY.replaceAll("$", "$$$$") }), KEY].map((text) => redactor.apply(text));
    for (const text of printed) for (const line of lines) expect(text).not.toContain(line.trim());
  });

  it("learns more values as they come", () => {
    const redactor = new Redactor().add(["first-secret"]);
    redactor.add(["second-secret"]);
    expect(redactor.apply("first-secret second-secret")).toBe(`${MASK} ${MASK}`);
    expect(redactor.known()).toEqual(["second-secret", "first-secret"]);
  });
});

describe("redactData", () => {
  it("redacts every string of the data, whatever YAML or JSON then makes of it", () => {
    const redactor = new Redactor().add([KEY]);
    const data = { services: { web: { environment: { KEY, OTHER: "plain" }, command: ["echo", "MIIEabcdef"] } }, count: 2, none: null };
    const shown = redactData(data, (text) => redactor.apply(text));
    expect(shown).toEqual({ services: { web: { environment: { KEY: MASK, OTHER: "plain" }, command: ["echo", MASK] } }, count: 2, none: null });
    for (const text of [stringify(shown), JSON.stringify(shown)]) expect(text).not.toMatch(/MIIE|dollar|uoted|indented/);
  });
});
