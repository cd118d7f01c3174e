/**
 * A racer for the router lock's test, run as its own process: `rounds` times, under the lock,
 * reads the registry, waits a little (as a reload would), and writes it back with one backend
 * more. Without the lock, two racers lose each other's backends.
 * Args: <router dir> <label> <rounds>
 */
import { setTimeout as sleep } from "node:timers/promises";
import { readRegistry, writeRegistry } from "../route-registry.js";
import { withRouterLock } from "../router-lock.js";

const [dir = "", label = "", rounds = "1"] = process.argv.slice(2);
for (let i = 0; i < Number(rounds); i++) {
  await withRouterLock(dir, async () => {
    const registry = readRegistry(dir);
    await sleep(5);
    writeRegistry(dir, { ...registry, [`${label}-${i}`]: { project: label, environment: "e", listen: 0, hosts: [], servers: [] } });
  });
}
