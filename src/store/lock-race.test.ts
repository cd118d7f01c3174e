/**
 * Across real processes, on one SQLite file and on one PostgreSQL database: two racers never
 * hold one environment's lock at once, and two claimers (two servers) never take one request.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./store.js";
import { runTs } from "./testing/process.js";
import { newPostgresUrl, storeKinds } from "./testing/store-kinds.js";

describe.each(storeKinds().map((k) => k.name))("across processes (%s)", (kind) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-race-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh database: both racers race on creating its schema too. */
  const freshDatabase = async (): Promise<string> => (kind === "postgres" ? ((await newPostgresUrl()) ?? "") : join(dir, "slipway.db"));

  it("never lets two processes hold one environment's lock at once", async () => {
    const database = await freshDatabase();
    const markers = join(dir, "markers");
    const rounds = 3;
    const racers = await Promise.all(["A", "B"].map((label) => runTs("./lock-holder.ts", [database, markers, label, "300", String(rounds)])));
    for (const racer of racers) expect(racer, racer.stderr).toMatchObject({ code: 0 });

    const lines = readFileSync(markers, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2 * 2 * rounds);
    for (let i = 0; i < lines.length; i += 2) {
      const label = lines[i]?.replace(/^start /, "");
      expect([lines[i], lines[i + 1]]).toEqual([`start ${label}`, `end ${label}`]);
    }
    expect(new Set(lines.map((line) => line.split(" ")[1]))).toEqual(new Set(["A", "B"]));
  });

  it("never lets two processes claim one queued deployment", async () => {
    const database = await freshDatabase();
    const ids: number[] = [];
    {
      await using store = await openStore(kind === "postgres" ? { url: database } : { database });
      const projectId = await store.ensureProject("race", "/srv/race");
      for (let i = 0; i < 60; i++) {
        const environmentId = await store.ensureEnvironment(projectId, `env${i % 30}`);
        ids.push((await store.enqueueDeployment({ environmentId, kind: "deploy", ref: `r${i}`, actor: "ann", request: { i } })).id);
      }
    }
    const markers = join(dir, "markers");
    const startAt = String(Date.now() + 2000);
    const claimers = await Promise.all(["A", "B"].map((label) => runTs("./queue-claimer.ts", [database, markers, label, startAt])));
    for (const claimer of claimers) expect(claimer, claimer.stderr).toMatchObject({ code: 0 });

    const claims = readFileSync(markers, "utf8").trim().split("\n").map((line) => line.split(" "));
    const claimedIds = claims.map(([, id]) => Number(id));
    // Each environment's first request was superseded by its second: 30 ran, each exactly once.
    expect(claimedIds.sort((a, b) => a - b)).toEqual(ids.slice(30).sort((a, b) => a - b));
    expect(new Set(claims.map(([label]) => label)).size).toBe(2);
  });
});
