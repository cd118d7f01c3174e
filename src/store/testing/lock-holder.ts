/**
 * A child process for the lock race test: opens the store at argv[2] (a fresh file or a fresh
 * Postgres database, so that the racers' migrations race too), then `rounds` times takes the environment's lock, appends
 * "start <label>" to the marker file, holds the lock, appends "end <label>", and releases it.
 * Usage: node --import ./ts-resolve.ts lock-holder.ts <db> <markers> <label> <holdMs> <rounds>
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { openStore } from "../store.js";

const [database, markers, label, holdMs, rounds] = process.argv.slice(2);
if (database === undefined || markers === undefined || label === undefined) throw new Error("usage: lock-holder <db> <markers> <label> [holdMs] [rounds]");

await using store = await openStore(database.startsWith("postgres://") ? { url: database } : { database });
const projectId = await store.ensureProject("race", "/srv/race");
const environmentId = await store.ensureEnvironment(projectId, "live");
for (let round = 0; round < Number(rounds ?? 1); round++) {
  await using _lock = await store.acquireLock(environmentId, { description: `racer ${label}` }, { pollMs: 5 });
  appendFileSync(markers, `start ${label}\n`);
  await sleep(Number(holdMs ?? 300));
  appendFileSync(markers, `end ${label}\n`);
}
