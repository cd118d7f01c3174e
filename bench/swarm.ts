/**
 * bench/swarm: one small app (busybox httpd with a HEALTHCHECK, a release task) deployed as two
 * environments of one project side by side in one run: `single` on this host (the compose
 * driver) and `swarm` on the 3-node test swarm (this engine as manager, two dockerds in network
 * namespaces, a registry on every node; 2 tasks of web). For each: the wall time of a deploy of
 * a new commit and of a rollback, both under load through the router (keep-alive clients that
 * never retry), the failed requests (target 0), and the switch step's time: from "every task
 * healthy" (the end of verify) to "traffic switched".
 * Run: npm run bench:swarm (needs root: it makes network namespaces; the swarm is torn down after)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { startSwarm as StartSwarm, teardownSwarm as TeardownSwarm } from "../test/support/swarm-harness.ts";
import { parseEvents } from "./overhead.ts";
import { BIN, freePort, ROOT, run, underLoad } from "./support.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

// The harness, bundled (its imports name .js files, which Node's type stripping cannot map).
const bundle = join(ROOT, "node_modules/.cache/slipway-bench/swarm-harness.mjs");
await build({ entryPoints: [join(ROOT, "test/support/swarm-harness.ts")], bundle: true, platform: "node", format: "esm", packages: "external", outfile: bundle, logLevel: "error" });
const { startSwarm, teardownSwarm } = (await import(bundle)) as { startSwarm: typeof StartSwarm; teardownSwarm: typeof TeardownSwarm };

interface Measured {
  readonly ms: number;
  readonly failed: number;
  readonly requests: number;
  readonly switchMs: number;
  /** Each step's time (ms), by step: where the wall time goes. */
  readonly steps: Readonly<Record<string, number>>;
}

const root = mkdtempSync(join(tmpdir(), "slipway-bench-swarm-"));
const dir = join(root, "app");
const project = `bench-swarm-${process.pid}`;
const env = { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ROUTER_NAME: `slipway-router-${project}`, SLIPWAY_SWARM_ROUTER_NAME: `slipway-swarm-router-${project}`, SLIPWAY_ACTOR: "bench" };
const git = (args: string[]): Promise<unknown> => run("git", ["-c", "user.email=b@b.invalid", "-c", "user.name=bench", ...args], dir);

async function commit(version: string): Promise<void> {
  writeFileSync(join(dir, "www/index.html"), `${version}\n`);
  await git(["add", "-A"]);
  await git(["commit", "-q", "-m", version]);
}

async function measured(port: number, args: string[]): Promise<Measured> {
  const ran = await underLoad(port, () => run(process.execPath, [BIN, ...args, "--json"], dir, env));
  const ended = parseEvents(ran.stdout).filter((e) => e.event === "step" && e.status !== "started");
  const switched = ended.find((e) => e.step === "switch");
  const steps: Record<string, number> = Object.fromEntries(ended.map((e): [string, number] => [e.step ?? "", e.durationMs ?? 0]));
  return { ms: ran.ms, failed: ran.failed, requests: ran.requests, switchMs: switched?.durationMs ?? Number.NaN, steps };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const swarm = await startSwarm();
try {
  const [singlePort, swarmPort] = [await freePort(), await freePort()];
  mkdirSync(join(dir, "www"), { recursive: true });
  writeFileSync(
    join(dir, "Dockerfile"),
    ["FROM busybox", "COPY www /www", "HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD wget -q -O /dev/null http://127.0.0.1:8000/ || exit 1", 'CMD ["httpd", "-f", "-p", "8000", "-h", "/www"]', ""].join("\n"),
  );
  writeFileSync(
    join(dir, "compose.yaml"),
    ["services:", "  web:", "    build: .", `    image: ${project}-web:\${TAG:-dev}`, "    init: true", "  release:", `    image: ${project}-web:\${TAG:-dev}`, '    command: ["sh", "-c", "echo migrating"]', ""].join("\n"),
  );
  writeFileSync(
    join(dir, "slipway.yml"),
    [
      `project: ${project}`,
      "drain: 1s",
      "routes:",
      "  - service: web",
      "    port: 8000",
      "    healthcheck: { path: /, interval: 500ms, passes: 1, deadline: 60s }",
      "environments:",
      `  single: { default: true, listen: ${singlePort} }`,
      `  swarm: { listen: ${swarmPort}, driver: swarm, registry: ${swarm.registry}/${project}, replicas: { web: 2 } }`,
      "",
    ].join("\n"),
  );
  await run("git", ["init", "-q", "-b", "main"], dir);
  await commit("v0");
  const drivers = [
    { name: "single host (compose)", env: "single", port: singlePort },
    { name: "3-node swarm", env: "swarm", port: swarmPort },
  ] as const;
  for (const d of drivers) await run(process.execPath, [BIN, "deploy", "--env", d.env], dir, env);
  const results = new Map<string, { deploy: Measured[]; rollback: Measured[] }>(drivers.map((d) => [d.env, { deploy: [], rollback: [] }]));
  for (let round = 1; round <= ROUNDS; round++) {
    await commit(`v${round}`);
    // In turns, so that a burst of other work on the host hits both alike.
    for (const d of drivers) results.get(d.env)?.deploy.push(await measured(d.port, ["deploy", "--env", d.env]));
    for (const d of drivers) results.get(d.env)?.rollback.push(await measured(d.port, ["rollback", "--env", d.env]));
    for (const d of drivers) await run(process.execPath, [BIN, "deploy", "--env", d.env], dir, env);
  }
  const line = (name: string, runs: readonly Measured[]): string => {
    const failed = runs.reduce((sum, r) => sum + r.failed, 0);
    const requests = runs.reduce((sum, r) => sum + r.requests, 0);
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.steps)))];
    const slowest = names
      .map((step) => [step, median(runs.map((r) => r.steps[step] ?? 0))] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`);
    return `  ${name.padEnd(9)} ${(median(runs.map((r) => r.ms)) / 1000).toFixed(1).padStart(5)} s   switch ${Math.round(median(runs.map((r) => r.switchMs))).toString().padStart(5)} ms   ${failed} failed of ${requests} ${failed === 0 ? "ok" : "MISSED (target 0)"}   (slowest steps: ${slowest.join(", ")})`;
  };
  console.log(`deploy and rollback under load (20 keep-alive clients, no retries), median of ${ROUNDS} rounds, in turns; "switch": from every task healthy to traffic switched`);
  for (const d of drivers) {
    const r = results.get(d.env);
    if (!r) continue;
    console.log(d.name);
    console.log(line("deploy", r.deploy));
    console.log(line("rollback", r.rollback));
  }
  const ratio = (kind: "deploy" | "rollback"): string => (median((results.get("swarm")?.[kind] ?? []).map((r) => r.ms)) / median((results.get("single")?.[kind] ?? []).map((r) => r.ms))).toFixed(2);
  console.log(`swarm / single host wall time: deploy ${ratio("deploy")}x, rollback ${ratio("rollback")}x`);
  for (const d of drivers) await run(process.execPath, [BIN, "down", "--env", d.env], dir, env).catch(() => undefined);
} finally {
  const images = await run("docker", ["image", "ls", "-q", "--filter", `label=slipway.project=${project}`], ROOT).catch(() => ({ stdout: "" }));
  const ids = [...new Set(images.stdout.split("\n").filter(Boolean))];
  if (ids.length > 0) await run("docker", ["image", "rm", "-f", ...ids], ROOT).catch(() => undefined);
  await teardownSwarm();
  rmSync(root, { recursive: true, force: true });
}
