/**
 * A child process for the queue race test, standing in for one `slipway serve`: opens the store
 * at argv[2] (a file or a postgres:// URL), claims requests until none is left, "runs" each for a
 * moment and marks it succeeded, and appends "<label> <id>" to the marker file for each claim.
 * Both start claiming at <startAt> (ms since 1970), so that neither drains the queue alone.
 * Usage: node --import ./ts-resolve.ts queue-claimer.ts <db> <markers> <label> <startAt>
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { openStore } from "../store.js";

const [database, markers, label, startAt] = process.argv.slice(2);
if (database === undefined || markers === undefined || label === undefined) throw new Error("usage: queue-claimer <db> <markers> <label>");

await using store = await openStore(database.startsWith("postgres://") ? { url: database } : { database });
await sleep(Math.max(0, Number(startAt ?? 0) - Date.now()));
let idle = 0;
while (idle < 20) {
  const claimed = await store.claimDeployment();
  if (!claimed) {
    idle++;
    await sleep(5);
    continue;
  }
  idle = 0;
  appendFileSync(markers, `${label} ${claimed.id}\n`);
  await store.updateDeployment(claimed.id, { status: "running" });
  await sleep(10);
  await store.updateDeployment(claimed.id, { status: "succeeded", finishedAt: new Date() });
}
