/**
 * bench/rollback: on the example app, under the same load (20 keep-alive connections), side by
 * side in one run: `slipway rollback` to the previous release (kept as `keep_previous: auto` keeps it),
 * a fresh `slipway deploy` of that same, already built commit, and the seed flow's rollback
 * (`TAG=<old> docker compose … up -d`). Prints wall time and failed requests of each, and the
 * rollback's time beyond the health-check passes it waits for, under load and without; then the
 * same rollback with the previous release kept stopped, paused and running, and the default on
 * the app with a worker beside its proxy and api.
 * Run: npm run bench:rollback
 */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseEvents } from "./overhead.ts";
import { CONNECTIONS, commit, freePort, repoCopy, run, slipwayCopy, stepTimes, underLoad, type ComposeEdit, type Ran } from "./support.ts";

async function seedRollback(): Promise<Ran & { failed: number; requests: number }> {
  const port = await freePort();
  const dir = await repoCopy("seed-rollback", port);
  const project = `bench-seedrb-${process.pid}`;
  const compose = (tag: string, args: string[]): Promise<Ran> => run("docker", ["compose", "-p", project, "-f", "docker-compose.yml", "-f", "docker-compose.prod.yml", ...args], dir, { TAG: tag });
  try {
    for (const tag of ["old", "new"]) {
      if (tag === "new") await commit(dir, "v2");
      await compose(tag, ["build"]);
      await compose(tag, ["run", "--rm", "release"]);
      await compose(tag, ["up", "-d"]);
    }
    for (let i = 0; i < 60 && !(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)); i++) await new Promise((ok) => setTimeout(ok, 500));
    return await underLoad(port, () => compose("old", ["up", "-d"]));
  } finally {
    await compose("x", ["down", "-v"]).catch(() => undefined);
    await run("docker", ["rmi", "-f", "hello-backend:old", "hello-backend:new", "hello-frontend:old", "hello-frontend:new"], dir).catch(() => undefined);
    rmSync(resolve(dir, ".."), { recursive: true, force: true });
  }
}

async function slipwayRollbacks(): Promise<{ rollback: Ran & { failed: number; requests: number }; quiet: Ran; redeploy: Ran & { failed: number; requests: number } }> {
  await using app = await slipwayCopy("rollback");
  const v1 = (await run("git", ["rev-parse", "HEAD"], app.dir)).stdout.trim();
  await app.slipway(["deploy", "--json"]);
  await commit(app.dir, "v2");
  await app.slipway(["deploy", "--json"]);
  const rollback = await underLoad(app.port, () => app.slipway(["rollback", "--json"]));
  await app.slipway(["deploy", "--json"]); // v2 live again, v1 kept
  const quiet = await app.slipway(["rollback", "--json"]); // the same, without load
  await app.slipway(["deploy", "--json"]); // v2 live again, v1's build still kept
  const redeploy = await underLoad(app.port, () => app.slipway(["deploy", "--ref", v1, "--json"]));
  return { rollback, quiet, redeploy };
}

/** The example app plus a worker on the backend's image: a routed proxy, an api and a worker. */
const withWorker: ComposeEdit = (compose) =>
  compose.replace(
    "  # Accessory: stands in for Postgres",
    `  worker:\n    image: hello-backend:\${TAG:-dev}\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n    healthcheck:\n      disable: true\n    depends_on:\n      - db\n\n  # Accessory: stands in for Postgres`,
  );

/** The same rollback with the previous release kept another way (keep_previous), or on the app with a worker. */
async function keptRollback(name: string, extraYml: string, edit?: ComposeEdit): Promise<Ran & { failed: number; requests: number }> {
  await using app = await slipwayCopy(`rollback-${name}`, 1000, extraYml, edit);
  await app.slipway(["deploy", "--json"]);
  await commit(app.dir, "v2");
  await app.slipway(["deploy", "--json"]);
  return await underLoad(app.port, () => app.slipway(["rollback", "--json"]));
}

const seed = await seedRollback();
const { rollback, quiet, redeploy } = await slipwayRollbacks();
const others = [
  ["keep_previous: stopped", await keptRollback("stopped", "keep_previous: stopped\n")],
  ["keep_previous: paused", await keptRollback("paused", "keep_previous: paused\n")],
  ["keep_previous: running", await keptRollback("running", "keep_previous: running\n")],
  ["proxy + api + worker, auto", await keptRollback("worker", "", withWorker)],
] as const;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`.padStart(7);
const stepLine = (times: Record<string, number>): string => `  its steps (s): ${Object.entries(times).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(", ")}`;
/**
 * A rollback is live at its switch: the time from the command's start to the switch step's end
 * (its event's time against the wall clock at the spawn), less the verify step's health checks.
 * The command's whole wall time, retire included, is printed beside it.
 */
function beyondChecks(ran: Ran): { untilLive: number; inAll: number } {
  const verify = stepTimes(ran.stdout).verify ?? 0;
  const switched = parseEvents(ran.stdout).find((e) => e.event === "step" && e.step === "switch" && e.status === "succeeded");
  const untilLive = switched && ran.startedAt !== undefined ? Date.parse(switched.at) - ran.startedAt : Number.NaN;
  return { untilLive: untilLive - verify, inAll: ran.ms - verify };
}
const beyondLine = (ran: Ran & { failed: number }): string => {
  const { untilLive, inAll } = beyondChecks(ran);
  return `  beyond its health checks, until live       ${s(untilLive)}   (target <= 2 s) ${untilLive <= 2000 ? "ok" : "MISSED"}; 0 failed: ${ran.failed === 0 ? "ok" : "MISSED"}; the command in all ${s(inAll).trim()}`;
};
console.log(`bench/rollback: example app, ${CONNECTIONS} keep-alive connections, no retries`);
console.log(`  seed flow rollback (TAG=old up -d)         ${s(seed.ms)}   failed ${String(seed.failed).padStart(6)} (${seed.requests} answered)`);
console.log(`  slipway deploy of the old, built commit    ${s(redeploy.ms)}   failed ${String(redeploy.failed).padStart(6)} (${redeploy.requests} answered)`);
console.log(`  slipway rollback (default, auto)           ${s(rollback.ms)}   failed ${String(rollback.failed).padStart(6)} (${rollback.requests} answered)`);
console.log(stepLine(stepTimes(rollback.stdout)));
console.log(beyondLine(rollback));
console.log(`  the same rollback without load             ${s(quiet.ms)}   beyond its health checks, until live ${s(beyondChecks(quiet).untilLive).trim()}, in all ${s(beyondChecks(quiet).inAll).trim()}`);
console.log(stepLine(stepTimes(quiet.stdout)));
for (const [label, kept] of others) {
  console.log(`  ${`slipway rollback (${label})`.padEnd(43)}${s(kept.ms)}   failed ${String(kept.failed).padStart(6)} (${kept.requests} answered)`);
  console.log(stepLine(stepTimes(kept.stdout)));
  console.log(beyondLine(kept));
}
