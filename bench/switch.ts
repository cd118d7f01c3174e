/**
 * bench/switch: the seed's deploy flow (`compose run --rm release` then `up -d`) against
 * `slipway deploy`, on the same example app, each under the same load (20 keep-alive
 * connections through the app's public port, no retries), measured side by side in one run.
 * Prints failed requests and deploy wall time for each, and Slipway's overhead on a redeploy
 * of an already built commit beyond its health-check time. Run: npm run bench:switch
 */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { describeOverhead, overheadOf, parseEvents, type Overhead } from "./overhead.ts";
import { CONNECTIONS, commit, freePort, repoCopy, run, slipwayCopy, stepTimes, underLoad, type Ran } from "./support.ts";

async function seedFlow(): Promise<{ failed: number; requests: number; ms: number }> {
  const port = await freePort();
  const dir = await repoCopy("seed", port);
  const project = `bench-seed-${process.pid}`;
  const compose = (tag: string, args: string[]): Promise<Ran> =>
    run("docker", ["compose", "-p", project, "-f", "docker-compose.yml", "-f", "docker-compose.prod.yml", ...args], dir, { TAG: tag });
  const deploySeed = async (tag: string): Promise<Ran> => {
    const start = process.hrtime.bigint();
    await compose(tag, ["build"]);
    await compose(tag, ["run", "--rm", "release"]);
    await compose(tag, ["up", "-d"]);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: "" };
  };
  try {
    await deploySeed("bench1");
    await waitFor(port);
    await commit(dir, "v2");
    return await underLoad(port, () => deploySeed("bench2"));
  } finally {
    await compose("x", ["down", "-v", "--rmi", "local"]).catch(() => undefined);
    await run("docker", ["rmi", "-f", "hello-backend:bench1", "hello-backend:bench2", "hello-frontend:bench1", "hello-frontend:bench2"], dir).catch(() => undefined);
    rmSync(resolve(dir, ".."), { recursive: true, force: true });
  }
}

async function waitFor(port: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`nothing answers on ${port}`);
}

interface SlipwayFigures {
  readonly failed: number;
  readonly requests: number;
  readonly ms: number;
  readonly redeployMs: number;
  readonly redeploySteps: Record<string, number>;
  readonly overhead: Overhead;
}

async function slipwayFlow(): Promise<SlipwayFigures> {
  const drainMs = 1000;
  await using app = await slipwayCopy("slipway", drainMs);
  await app.slipway(["deploy", "--json"]);
  await commit(app.dir, "v2");
  const deployed = await underLoad(app.port, () => app.slipway(["deploy", "--json"]));
  const again = await app.slipway(["deploy", "--json"]);
  const overhead = overheadOf(parseEvents(again.stdout), again.startedAt ?? 0, again.endedAt ?? 0);
  return { failed: deployed.failed, requests: deployed.requests, ms: deployed.ms, redeployMs: again.ms, redeploySteps: stepTimes(again.stdout), overhead };
}

const seed = await seedFlow();
const mine = await slipwayFlow();
// Slipway's own time, measured span by span (bench/overhead.ts): the steps that run the app's
// code or wait on Docker (release, start, verify, retire with its drain) are not counted in it.
const overhead = mine.overhead.totalMs;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`.padStart(8);
console.log(`bench/switch: example app (frontend + backend + db), ${CONNECTIONS} keep-alive connections, no retries`);
console.log(`  seed flow (run --rm release; up -d)   failed ${String(seed.failed).padStart(6)} (${seed.requests} answered)   deploy ${s(seed.ms)}`);
console.log(`  slipway deploy                        failed ${String(mine.failed).padStart(6)} (${mine.requests} answered)   deploy ${s(mine.ms)}   (target: 0 failed) ${mine.failed === 0 ? "ok" : "MISSED"}`);
console.log(`  slipway redeploy of a built commit    ${s(mine.redeployMs)} in all; steps: ${Object.entries(mine.redeploySteps).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(", ")} (s)`);
console.log(`    Slipway's own time, measured from the events' times and the process's: ${describeOverhead(mine.overhead)} (target <= 1 s) ${overhead <= 1000 ? "ok" : "MISSED"}`);
