/** The lock across real processes: two racers on one database file never hold it at once. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTs } from "./testing/process.js";

describe("acquireLock across processes", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-lock-race-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("never lets two processes hold one environment's lock at once", async () => {
    // A fresh file: the two also race on creating the schema and the project.
    const database = join(dir, "slipway.db");
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
});
