/**
 * bench/scale: how Slipway's cost grows with the work, each size measured in the same run and
 * printed with the ratio to the size before it:
 *   - a redeploy of a built commit with 1, 4 and 16 app services;
 *   - `slipway plan` with 25, 100 and 400 services (alternating runs, median);
 *   - `slipway status` and `slipway releases` with 10, 1,000 and 10,000 releases in the store
 *     (one real release, the rest copies of its rows);
 *   - the switch step of one environment when 1, 10 and 50 environments share the router.
 * Target: plan and status grow at most linearly; status and releases under 300 ms at 10,000.
 * Run: npm run bench:scale (BENCH_RUNS=N for more runs of the quick figures, BENCH_PARTS=plan,store
 * for some parts only: deploy, plan, store, router)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { writeComposeProject } from "./compose-project.ts";
import { parseEvents } from "./overhead.ts";
import { BIN, freePort, run } from "./support.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Wall time of one command; status may exit 1 (it reports problems), anything else is an error. */
function timeMs(args: string[], cwd: string, env: NodeJS.ProcessEnv, okCodes = [0]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(result.status ?? -1)) throw new Error(`slipway ${args.join(" ")} exited ${result.status}: ${result.stderr.toString().slice(-1500)}`);
  return elapsed;
}

interface TinyApp extends AsyncDisposable {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly project: string;
  slipway(args: string[]): Promise<{ ms: number; stdout: string }>;
}

/**
 * A git repository with `services` busybox httpd services on one image (svc0 routed, the others
 * workers), and one environment per entry of `listens`, each on its own router port. Its own
 * Slipway home and router; everything it made removed by label when disposed.
 */
async function tinyApp(name: string, services: number, listens: readonly number[]): Promise<TinyApp> {
  const root = mkdtempSync(join(tmpdir(), `slipway-bench-scale-${name}-`));
  const dir = join(root, "app");
  const project = `bench-scale-${name}-${process.pid}`;
  mkdirSync(join(dir, "www"), { recursive: true });
  writeFileSync(join(dir, "www/index.html"), "ok\n");
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\nCOPY www /www\n");
  const service = (i: number): string[] => [
    `  svc${i}:`,
    "    build: .",
    `    image: ${project}-app:\${TAG:-dev}`,
    `    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8000 -h /www & wait"]`,
    ...(i === 0 ? ['    ports: ["18000:8000"]'] : []),
  ];
  writeFileSync(join(dir, "docker-compose.yml"), ["services:", ...Array.from({ length: services }, (_, i) => service(i)).flat(), ""].join("\n"));
  const environments = listens.map((port, i) => `  e${i + 1}: { listen: ${port} }`);
  writeFileSync(
    join(dir, "slipway.yml"),
    [`project: ${project}`, "release: false", "drain: 200ms", "routes:", "  - service: svc0", "    port: 8000", "    healthcheck: { path: /, interval: 200ms, passes: 1, deadline: 30s }", "environments:", ...environments, ""].join("\n"),
  );
  const git = (args: string[]): Promise<unknown> => run("git", ["-c", "user.email=b@b.invalid", "-c", "user.name=bench", ...args], dir);
  await git(["init", "-q", "-b", "main"]);
  await git(["add", "-A"]);
  await git(["commit", "-q", "-m", "v1"]);
  const env = { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ROUTER_NAME: `slipway-router-${project}`, SLIPWAY_ROUTER_IMAGE: process.env.SLIPWAY_ROUTER_IMAGE ?? "haproxy:2.6" };
  return {
    dir,
    env,
    project,
    slipway: (args) => run(process.execPath, [BIN, ...args], dir, env),
    async [Symbol.asyncDispose]() {
      if (process.env.BENCH_KEEP) return console.log(`  kept ${dir} (SLIPWAY_HOME=${env.SLIPWAY_HOME} SLIPWAY_ROUTER_NAME=${env.SLIPWAY_ROUTER_NAME})`);
      const docker = (args: string[]): Promise<string[]> => run("docker", args, dir).then((r) => r.stdout.split("\n").filter(Boolean), () => []);
      const label = `label=slipway.project=${project}`;
      const containers = await docker(["ps", "-aq", "--filter", label]);
      if (containers.length > 0) await docker(["rm", "-f", ...containers]);
      await docker(["rm", "-f", env.SLIPWAY_ROUTER_NAME]);
      const networks = await docker(["network", "ls", "-q", "--filter", label]);
      if (networks.length > 0) await docker(["network", "rm", ...networks]);
      const volumes = await docker(["volume", "ls", "-q", "--filter", label]);
      if (volumes.length > 0) await docker(["volume", "rm", "-f", ...volumes]);
      const images = await docker(["images", "-q", "--filter", `reference=${project}-app`, "--filter", `reference=${project}/*`]);
      if (images.length > 0) await docker(["rmi", "-f", ...new Set(images)]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Ports for `count` environments, each free now. */
async function ports(count: number): Promise<number[]> {
  const found = new Set<number>();
  while (found.size < count) found.add(await freePort());
  return [...found];
}

interface Row {
  readonly size: number;
  readonly ms: number;
}

function table(title: string, unit: string, rows: readonly Row[], note = ""): string {
  const lines = rows.map((row, i) => {
    const before = rows[i - 1];
    const ratio = before ? `${(row.ms / before.ms).toFixed(2)}x time for ${(row.size / before.size).toFixed(0)}x ${unit}` : "";
    return `    ${String(row.size).padStart(6)} ${unit.padEnd(12)} ${row.ms.toFixed(0).padStart(7)} ms   ${ratio}`;
  });
  return [`  ${title}${note}`, ...lines].join("\n");
}

/** At most linear: from each size to the next, time grows no more than the size does. */
function linear(rows: readonly Row[]): boolean {
  return rows.every((row, i) => i === 0 || row.ms / (rows[i - 1]?.ms ?? 1) <= row.size / (rows[i - 1]?.size ?? 1));
}

async function deployScale(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of [1, 4, 16]) {
    await using app = await tinyApp(`deploy${size}`, size, await ports(1));
    await app.slipway(["deploy", "--env", "e1", "--json"]);
    const again = await app.slipway(["deploy", "--env", "e1", "--json"]);
    rows.push({ size, ms: again.ms });
  }
  return rows;
}

function planScale(): Row[] {
  const sizes = [25, 100, 400];
  const dirs = sizes.map((size) => {
    const dir = mkdtempSync(join(tmpdir(), `slipway-bench-scale-plan${size}-`));
    writeComposeProject(dir, size);
    return dir;
  });
  try {
    const env = { TAG: "0123456789ab" };
    for (const dir of dirs) timeMs(["plan"], dir, env); // warm the disk and compile caches
    const times = sizes.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) dirs.forEach((dir, k) => times[k]?.push(timeMs(["plan"], dir, env)));
    return sizes.map((size, k) => ({ size, ms: median(times[k] ?? []) }));
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies the one real release (and the deployment that made it) until the environment has `total`. */
function fillReleases(home: string, total: number): void {
  const db = new Database(join(home, "slipway.db"));
  try {
    const real = db.prepare("SELECT * FROM releases ORDER BY number LIMIT 1").get() as Record<string, unknown>;
    const deployment = db.prepare("SELECT * FROM deployments WHERE release_id = ? ORDER BY id DESC LIMIT 1").get(real.id) as Record<string, unknown>;
    const { n: have } = db.prepare("SELECT count(*) AS n FROM releases").get() as { n: number };
    const releaseColumns = Object.keys(real).filter((c) => c !== "id");
    const deploymentColumns = Object.keys(deployment).filter((c) => c !== "id");
    const insert = (table: string, columns: readonly string[]): string => `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`;
    const addRelease = db.prepare(insert("releases", releaseColumns));
    const addDeployment = db.prepare(insert("deployments", deploymentColumns));
    const top = (db.prepare("SELECT max(number) AS top FROM releases").get() as { top: number }).top;
    db.transaction(() => {
      for (let i = 1; i <= total - have; i++) {
        const { lastInsertRowid } = addRelease.run({ ...real, number: top + i, status: "retired" });
        addDeployment.run({ ...deployment, release_id: Number(lastInsertRowid) });
      }
    })();
  } finally {
    db.close();
  }
}

async function storeScale(): Promise<{ status: Row[]; releases: Row[] }> {
  await using app = await tinyApp("store", 1, await ports(1));
  await app.slipway(["deploy", "--env", "e1", "--json"]);
  const status: Row[] = [];
  const releases: Row[] = [];
  for (const size of [10, 1000, 10_000]) {
    fillReleases(String(app.env.SLIPWAY_HOME), size);
    timeMs(["releases", "--env", "e1"], app.dir, app.env);
    const times = { status: [] as number[], releases: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.status.push(timeMs(["status", "--env", "e1"], app.dir, app.env, [0, 1]));
      times.releases.push(timeMs(["releases", "--env", "e1"], app.dir, app.env));
    }
    status.push({ size, ms: median(times.status) });
    releases.push({ size, ms: median(times.releases) });
  }
  return { status, releases };
}

/** The switch step of e1's redeploy once 1, 10 and 50 environments are on the router. */
async function routerScale(): Promise<Row[]> {
  const sizes = [1, 10, 50];
  await using app = await tinyApp("router", 1, await ports(50));
  const rows: Row[] = [];
  let deployed = 0;
  for (const size of sizes) {
    for (; deployed < size; deployed++) await app.slipway(["deploy", "--env", `e${deployed + 1}`, "--json"]);
    const switches: number[] = [];
    for (let i = 0; i < 3; i++) {
      const again = await app.slipway(["deploy", "--env", "e1", "--json"]);
      const step = parseEvents(again.stdout).find((e) => e.event === "step" && e.step === "switch" && e.durationMs !== undefined);
      switches.push(step?.durationMs ?? Number.NaN);
    }
    rows.push({ size, ms: median(switches) });
  }
  return rows;
}

// BENCH_PARTS=plan,store runs only those parts (deploy, plan, store, router).
const parts = new Set((process.env.BENCH_PARTS ?? "deploy,plan,store,router").split(","));
const deploys = parts.has("deploy") ? await deployScale() : [];
const plans = parts.has("plan") ? planScale() : [];
const store = parts.has("store") ? await storeScale() : { status: [], releases: [] };
const router = parts.has("router") ? await routerScale() : [];
const at = (rows: readonly Row[], size: number): number => rows.find((r) => r.size === size)?.ms ?? Number.NaN;
const verdict = (ok: boolean): string => (ok ? "ok" : "MISSED");
console.log(`bench/scale: medians of ${RUNS} runs for plan, status and releases; the ratio is to the size above`);
const show = (rows: readonly Row[], text: () => string): void => {
  if (rows.length > 0) console.log(text());
};
show(deploys, () => table("slipway deploy, a redeploy of a built commit", "services", deploys));
show(plans, () => table("slipway plan", "services", plans, `   (target: at most linear) ${verdict(linear(plans))}`));
show(store.status, () => table("slipway status", "releases", store.status, `   (target: at most linear, < 300 ms at 10,000) ${verdict(linear(store.status) && at(store.status, 10_000) < 300)}`));
show(store.releases, () => table("slipway releases (the newest 20)", "releases", store.releases, `   (target: < 300 ms at 10,000) ${verdict(at(store.releases, 10_000) < 300)}`));
show(router, () => table("the switch step of one environment, by environments on the router", "environments", router));
