import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makePrivate, privateDir, privateDirsUnder, writePrivateFile } from "./private-files.js";

const mode = (path: string): number => statSync(path).mode & 0o777;

describe("private files", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "slipway-private-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("creates directories 0700, and makes an existing one 0700", () => {
    expect(mode(privateDir(join(root, "a", "b")))).toBe(0o700);
    expect(mode(join(root, "a"))).toBe(0o700);
    mkdirSync(join(root, "open"), { mode: 0o755 });
    expect(mode(privateDir(join(root, "open")))).toBe(0o700);
  });

  it("makes every directory from the root down to the path 0700, and nothing above the root", () => {
    chmodSync(root, 0o755);
    mkdirSync(join(root, "home", "releases"), { recursive: true, mode: 0o755 });
    privateDirsUnder(join(root, "home"), join(root, "home", "releases", "shop", "live"));
    expect([root, "home", "home/releases", "home/releases/shop", "home/releases/shop/live"].map((p) => mode(p === root ? p : join(root, p)))).toEqual([0o755, 0o700, 0o700, 0o700, 0o700]);
    expect(() => privateDirsUnder(join(root, "home"), join(root, "elsewhere"))).toThrow(/not under/);
  });

  it("writes files 0600, even over a temporary file a crash left with another mode", () => {
    const file = join(root, "state", "routes.json");
    mkdirSync(join(root, "state"));
    writeFileSync(`${file}.tmp`, "old", { mode: 0o644 });
    writePrivateFile(file, "{}\n");
    expect(mode(file)).toBe(0o600);
    expect(mode(join(root, "state"))).toBe(0o700);
  });

  it("makes existing files 0600 and skips absent ones", () => {
    writeFileSync(join(root, "db"), "", { mode: 0o644 });
    makePrivate(join(root, "db"), join(root, "absent"));
    expect(mode(join(root, "db"))).toBe(0o600);
  });
});
