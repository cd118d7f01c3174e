/**
 * Restarting the Docker daemon itself, for the one test that proves a deployed app comes back on
 * its own: find the running dockerd in /proc, stop it with SIGTERM, start it again with the same
 * arguments, environment and directory (output to /var/log/slipway-dockerd.log, as
 * scripts/install-docker-debian.sh starts it), and wait until the engine answers.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { runCommand } from "../../src/adapters/run-command.js";

export const DOCKERD_LOG = "/var/log/slipway-dockerd.log";

export interface Daemon {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

const nulSeparated = (path: string): string[] => readFileSync(path, "utf8").split("\0").filter((part) => part !== "");

export function findDockerd(): Daemon | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "dockerd") continue;
      const env = Object.fromEntries(nulSeparated(`/proc/${entry}/environ`).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      return { pid: Number(entry), argv: nulSeparated(`/proc/${entry}/cmdline`), env, cwd: existsSync(cwd) ? cwd : "/" };
    } catch {
      continue; // it exited meanwhile, or is not ours to read
    }
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then waits until the process is gone (dockerd stops every container first). */
export async function stopDockerd(daemon: Daemon, timeoutMs = 90_000): Promise<void> {
  process.kill(daemon.pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${daemon.pid}`)) {
    if (Date.now() > deadline) throw new Error(`dockerd (pid ${daemon.pid}) still runs ${timeoutMs / 1000} s after SIGTERM`);
    await sleep(100);
  }
}

/** Starts it as it ran, detached, its output appended to the log; returns its pid. */
export function startDockerd(daemon: Daemon): number {
  const [program = "dockerd", ...args] = daemon.argv;
  const log = openSync(DOCKERD_LOG, "a");
  try {
    const child = spawn(program, args, { cwd: daemon.cwd, env: daemon.env, detached: true, stdio: ["ignore", log, log] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${program}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Resolves with the time the engine first answered `docker info`. */
export async function waitForEngine(timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await runCommand("docker", ["info", "--format", "{{.ServerVersion}}"], { timeoutMs: 10_000 }).catch(() => undefined);
    if (info?.exitCode === 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`the engine did not answer within ${timeoutMs / 1000} s; see ${DOCKERD_LOG}`);
    await sleep(200);
  }
}

/** dockerd running again, whatever happened: started as `daemon` ran when none runs. */
export async function ensureDockerd(daemon: Daemon): Promise<void> {
  if (!findDockerd()) startDockerd(daemon);
  await waitForEngine();
}
