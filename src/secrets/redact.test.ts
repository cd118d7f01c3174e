import { describe, expect, it } from "vitest";
import { MASK, Redactor } from "./redact.js";

describe("Redactor", () => {
  it.each<{ name: string; secrets: string[]; text: string; shown: string }>([
    { name: "nothing known", secrets: [], text: "hello s3cr3t", shown: "hello s3cr3t" },
    { name: "every occurrence", secrets: ["s3cr3t"], text: "s3cr3t and s3cr3t", shown: `${MASK} and ${MASK}` },
    { name: "shorter than 4 characters is left alone", secrets: ["abc", "on"], text: "abc on", shown: "abc on" },
    { name: "exactly 4 characters", secrets: ["abcd"], text: "xabcdx", shown: `x${MASK}x` },
    { name: "the longer of two overlapping secrets whole", secrets: ["pass", "password123"], text: "password123 pass", shown: `${MASK} ${MASK}` },
    { name: "regular expression characters are literal", secrets: ["a.b*c(d)$"], text: "a.b*c(d)$ axbbc", shown: `${MASK} axbbc` },
    { name: "a multi-line secret, whole and line by line", secrets: ["-----BEGIN KEY-----\nMIIEabcdef\n-----END KEY-----"], text: "line MIIEabcdef", shown: `line ${MASK}` },
  ])("$name", ({ secrets, text, shown }) => {
    expect(new Redactor().add(secrets).apply(text)).toBe(shown);
  });

  it("learns more values as they come", () => {
    const redactor = new Redactor().add(["first-secret"]);
    redactor.add(["second-secret"]);
    expect(redactor.apply("first-secret second-secret")).toBe(`${MASK} ${MASK}`);
    expect(redactor.known()).toEqual(["second-secret", "first-secret"]);
  });
});
