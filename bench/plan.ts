/**
 * bench/plan: `slipway plan` against `docker compose config` on the same 100-service project
 * (3 override files, anchors, env files), measured side by side in one run, alternating, so
 * the machine's noise falls on both. Also `slipway --version`. Run: npm run bench:plan
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeComposeProject } from "./compose-project.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BIN = resolve(import.meta.dirname, "../bin/slipway.js");
const SERVICES = 100;

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
  const files = writeComposeProject(dir, SERVICES);
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
