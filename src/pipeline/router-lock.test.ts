/** The host's router lock across real processes, and over a lock its holder left behind. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTs } from "../store/testing/process.js";
import { readRegistry } from "./route-registry.js";
import { withRouterLock } from "./router-lock.js";

describe("withRouterLock", () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), "slipway-router-lock-")), "router");
  });
  afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  it("lets two processes change the registry one at a time: no backend lost", async () => {
    const rounds = 15;
    const racers = await Promise.all(["a", "b"].map((label) => runTs("../../pipeline/testing/registry-writer.ts", [dir, label, String(rounds)])));
    for (const racer of racers) expect(racer, racer.stderr).toMatchObject({ code: 0 });
    expect(Object.keys(readRegistry(dir))).toHaveLength(2 * rounds);
  });

  it("takes over a lock whose holder died (stale), and leaves none behind", async () => {
    mkdirSync(join(dir, "routes.lock"), { recursive: true });
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "routes.lock"), longAgo, longAgo);
    expect(await withRouterLock(dir, () => Promise.resolve("done"))).toBe("done");
    expect(await withRouterLock(dir, () => Promise.resolve("again"))).toBe("again");
  });
});
