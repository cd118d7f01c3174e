import { mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { homePaths } from "./paths.js";
import { unkeptDirs } from "./prune.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("unkeptDirs", () => {
  it("lists build trees and checkouts of no kept build, but never the project's own, a recent one, or one being made", () => {
    const home = mkdtempSync(join(tmpdir(), "slipway-prune-"));
    made.push(home);
    const paths = homePaths(home);
    const kept = "a".repeat(40);
    const old = "b".repeat(40);
    const current = "c".repeat(40);
    const fresh = "d".repeat(40);
    for (const tag of [kept.slice(0, 12), old.slice(0, 12), `${old.slice(0, 12)}.export-12-abcd1234`]) mkdirSync(paths.build("shop", tag), { recursive: true });
    for (const commit of [kept, old, current, fresh, `${old}.checkout-12-abcd1234`]) mkdirSync(paths.checkout("shop", commit), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const commit of [kept, old, current]) utimesSync(paths.checkout("shop", commit), twoHoursAgo, twoHoursAgo);
    const dirs = [...unkeptDirs(paths, { projectId: 1, project: "shop", dir: paths.checkout("shop", current), retain: 5 }, new Set([kept.slice(0, 12)]))];
    expect(dirs.sort()).toEqual([paths.build("shop", old.slice(0, 12)), paths.checkout("shop", old)].sort());
  });
});
