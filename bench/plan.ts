/**
 * bench/plan: `slipway plan` against `docker compose config` on the same 100-service project
 * (3 override files, anchors, env files), measured side by side in one run, alternating, so
 * the machine's noise falls on both. Also `slipway --version`. Run: npm run bench:plan
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BIN = resolve(import.meta.dirname, "../bin/slipway.js");
const SERVICES = 100;

function writeProject(dir: string): string[] {
  const base = ["x-app: &app", "  build:", "    context: .", "    args:", "      PYTHON: ${PYTHON_VERSION:-3.12}", "  env_file: [./envs/common.env]", "  environment:", "    DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app", "  depends_on: [db, redis]", "", "services:"];
  for (let i = 0; i < SERVICES - 2; i++) {
    base.push(`  svc${i}:`, "    <<: *app", `    command: ["run", "worker-${i}"]`, `    env_file: [./envs/common.env, ./envs/group${i % 5}.env]`);
  }
  base.push("  db:", "    image: postgres:16", "    volumes: [pgdata:/var/lib/postgresql/data]", "  redis:", "    image: redis:7", "volumes:", "  pgdata:", "");
  const prod = ["services:"];
  for (let i = 0; i < SERVICES - 2; i++) prod.push(`  svc${i}:`, `    image: bench/svc${i}:\${TAG}`, "    restart: unless-stopped");
  const ports = ["services:", "  svc0:", '    ports: ["8080:8000"]', "  svc1:", '    ports: ["8081:8000"]', "    healthcheck:", '      test: ["CMD", "true"]', ""];
  const extra = ["services:"];
  for (let i = 0; i < SERVICES - 2; i += 3) extra.push(`  svc${i}:`, "    labels:", `      team: t${i % 4}`, "    environment:", `      SHARD: "${i}"`);
  mkdirSync(join(dir, "envs"), { recursive: true });
  writeFileSync(join(dir, "docker-compose.yml"), base.join("\n"));
  writeFileSync(join(dir, "docker-compose.prod.yml"), prod.join("\n") + "\n");
  writeFileSync(join(dir, "docker-compose.ports.yml"), ports.join("\n"));
  writeFileSync(join(dir, "docker-compose.extra.yml"), extra.join("\n") + "\n");
  writeFileSync(join(dir, "envs/common.env"), "LOG_LEVEL=info\nTZ=UTC\n");
  for (let g = 0; g < 5; g++) writeFileSync(join(dir, `envs/group${g}.env`), `GROUP=${g}\nQUEUE=q${g}\n`);
  writeFileSync(join(dir, ".env"), "DB_PASSWORD=bench\n");
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\n");
  const files = ["docker-compose.yml", "docker-compose.prod.yml", "docker-compose.ports.yml", "docker-compose.extra.yml"];
  writeFileSync(join(dir, "slipway.yml"), `project: bench\ncompose: [${files.join(", ")}]\n`);
  return files;
}

function timeMs(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.toString()}`);
  return elapsed;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const dir = mkdtempSync(join(tmpdir(), "slipway-bench-plan-"));
try {
  const files = writeProject(dir);
  const env = { ...process.env, TAG: "0123456789ab" };
  const composeArgs = ["compose", ...files.flatMap((f) => ["-f", f]), "--profile", "*", "config", "--format", "json"];
  const slipwayArgs = [BIN, "plan"];
  // Warm both (disk cache, compile cache) before measuring.
  timeMs("docker", composeArgs, dir, env);
  timeMs(process.execPath, slipwayArgs, dir, env);
  const compose: number[] = [];
  const plan: number[] = [];
  const version: number[] = [];
  const plugin: number[] = [];
  const pluginPath = "/usr/libexec/docker/cli-plugins/docker-compose";
  for (let i = 0; i < RUNS; i++) {
    compose.push(timeMs("docker", composeArgs, dir, env));
    plugin.push(timeMs(pluginPath, composeArgs.slice(1), dir, env));
    plan.push(timeMs(process.execPath, slipwayArgs, dir, env));
    version.push(timeMs(process.execPath, [BIN, "--version"], dir, env));
  }
  const ratio = median(plan) / median(compose);
  console.log(`bench/plan: ${SERVICES} services, 4 compose files, anchors, env files; ${RUNS} alternating runs, median wall time`);
  console.log(`  docker compose config   ${median(compose).toFixed(0).padStart(5)} ms`);
  console.log(`  compose plugin binary   ${median(plugin).toFixed(0).padStart(5)} ms (what slipway runs: no docker CLI in between)`);
  console.log(`  slipway plan            ${median(plan).toFixed(0).padStart(5)} ms`);
  console.log(`  ratio plan/config       ${ratio.toFixed(2).padStart(5)}   (target <= 1.50) ${ratio <= 1.5 ? "ok" : "MISSED"}`);
  console.log(`  slipway --version       ${median(version).toFixed(0).padStart(5)} ms (target < 150) ${median(version) < 150 ? "ok" : "MISSED"}`);
} finally {
  if (process.env.BENCH_KEEP) console.log(`  project kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
