import { describe, expect, it } from "vitest";
import type { SlipwayError } from "../core/errors.js";
import { isSlipwayError } from "../core/errors.js";
import { createSealer, generateKeyText, isSealed, keyMaterial } from "./cipher.js";

const sealer = (text = "k".repeat(32)) => createSealer(keyMaterial(text, "test"), "test");

function caught(body: () => unknown): SlipwayError {
  try {
    body();
  } catch (error) {
    if (isSlipwayError(error)) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("sealing", () => {
  it("opens what it sealed, including empty and non-ASCII text", () => {
    const s = sealer();
    for (const plain of ["", "s3cr3t", "ünïcødé ✓", "x".repeat(100_000)]) expect(s.open(s.seal(plain), "v")).toBe(plain);
  });

  it("never seals the same text twice the same way, and never holds it in clear", () => {
    const s = sealer();
    const [a, b] = [s.seal("s3cr3t-value"), s.seal("s3cr3t-value")];
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain("s3cr3t-value");
    expect(Buffer.from(a.split(":")[2] ?? "", "base64").toString("latin1")).not.toContain("s3cr3t");
  });

  it("a wrong key is an E_SECRET_KEY error (exit 2) naming the key's source, never garbage", () => {
    const sealed = sealer().seal("s3cr3t");
    const error = caught(() => createSealer(keyMaterial("w".repeat(32), "SLIPWAY_MASTER_KEY"), "SLIPWAY_MASTER_KEY").open(sealed, "the variables of live"));
    expect(error.code).toBe("E_SECRET_KEY");
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/the variables of live cannot be decrypted with the master key from SLIPWAY_MASTER_KEY/);
  });

  it("a changed byte is detected", () => {
    const s = sealer();
    const sealed = s.seal("s3cr3t");
    const body = Buffer.from(sealed.slice("slipway:v1:".length), "base64");
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1;
    expect(caught(() => s.open(`slipway:v1:${body.toString("base64")}`, "x")).code).toBe("E_SECRET_KEY");
  });

  it("refuses a short key rather than use a weak one", () => {
    expect(caught(() => keyMaterial("short", "SLIPWAY_MASTER_KEY")).message).toMatch(/5 characters long; it needs at least 32/);
  });

  it("generates keys long enough, and each different", () => {
    const [a, b] = [generateKeyText(), generateKeyText()];
    expect(a).not.toBe(b);
    expect(() => keyMaterial(a, "generated")).not.toThrow();
  });

  it("digests: equal text, equal digest; another key, another digest", () => {
    expect(sealer().digest("a")).toBe(sealer().digest("a"));
    expect(sealer().digest("a")).not.toBe(sealer().digest("b"));
    expect(sealer().digest("a")).not.toBe(sealer("z".repeat(32)).digest("a"));
  });
});
