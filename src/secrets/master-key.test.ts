import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitPendingKey, keyFilePath, masterSealer, pendingKeyPath, writePendingKey } from "./master-key.js";

describe("the master key", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "slipway-key-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("is generated on first use into a 0600 key file, and the same key is read back", () => {
    expect(masterSealer(home, {}, { create: false })).toBeUndefined();
    const first = masterSealer(home, {}, { create: true });
    expect(statSync(keyFilePath(home)).mode & 0o777).toBe(0o600);
    const sealed = first?.seal("v") ?? "";
    expect(masterSealer(home, {}, { create: false })?.open(sealed, "x")).toBe("v");
  });

  it("comes from SLIPWAY_MASTER_KEY when set, and then no key file is written", () => {
    const env = { SLIPWAY_MASTER_KEY: "e".repeat(40) };
    const sealer = masterSealer(home, env, { create: true });
    expect(sealer?.keySource).toBe("SLIPWAY_MASTER_KEY");
    expect(() => statSync(keyFilePath(home))).toThrow();
  });

  it("refuses a key file others can read", () => {
    writeFileSync(keyFilePath(home), "k".repeat(44));
    chmodSync(keyFilePath(home), 0o644);
    expect(() => masterSealer(home, {}, { create: false })).toThrow(/can be read by others .*chmod 600/);
  });

  it("a rotation's new key sits beside the old one until committed", () => {
    masterSealer(home, {}, { create: true });
    const old = readFileSync(keyFilePath(home), "utf8");
    writePendingKey(home, "n".repeat(44));
    expect(readFileSync(keyFilePath(home), "utf8")).toBe(old);
    expect(statSync(pendingKeyPath(home)).mode & 0o777).toBe(0o600);
    commitPendingKey(home);
    expect(readFileSync(keyFilePath(home), "utf8").trim()).toBe("n".repeat(44));
  });
});
