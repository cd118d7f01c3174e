/**
 * What the deploy benchmarks share: async child processes (so the load generator in this
 * process keeps running), a load through a port, and a throwaway copy of the example app in
 * its own git repository.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";

export const ROOT = resolve(import.meta.dirname, "..");
export const BIN = join(ROOT, "bin/slipway.js");
export const CONNECTIONS = 20;

export interface Ran {
  readonly ms: number;
  readonly stdout: string;
  /** Wall clock (ms since the epoch) at the spawn and at the exit, to set against event times. */
  readonly startedAt?: number;
  readonly endedAt?: number;
}

/** Async, so that the load generator in this process keeps running meanwhile. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const start = process.hrtime.bigint();
  const startedAt = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) ok({ ms, stdout, startedAt, endedAt: Date.now() });
      else fail(new Error(`${command} ${args.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  return typeof address === "object" && address ? address.port : 0;
}

/** Runs `work` while autocannon loads the port; failed requests are errors + non-2xx. */
export async function underLoad<T extends Ran>(port: number, work: () => Promise<T>): Promise<T & { failed: number; requests: number }> {
  let finish: (result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((ok) => (finish = ok));
  const instance = autocannon({ url: `http://127.0.0.1:${port}/`, connections: CONNECTIONS, duration: 300, timeout: 20 }, (_error, result) => finish(result));
  await new Promise((ok) => setTimeout(ok, 1000));
  const result = await work();
  await new Promise((ok) => setTimeout(ok, 1000));
  instance.stop();
  const stats = await done;
  return { ...result, failed: stats.errors + stats.non2xx, requests: stats.requests.total };
}

/** A change to the example's docker-compose.yml (say, one more service). */
export type ComposeEdit = (compose: string) => string;

export async function repoCopy(name: string, port: number, slipwayYml?: string, edit: ComposeEdit = (c) => c): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), `slipway-bench-${name}-`)), "hello");
  cpSync(join(ROOT, "examples/hello"), dir, { recursive: true });
  const compose = join(dir, "docker-compose.yml");
  writeFileSync(compose, edit(readFileSync(compose, "utf8").replace('"8080:80"', `"${port}:80"`)));
  if (slipwayYml) writeFileSync(join(dir, "slipway.yml"), slipwayYml);
  await run("git", ["init", "-q", "-b", "main"], dir);
  await commit(dir, "v1", false);
  return dir;
}

export async function commit(dir: string, message: string, change = true): Promise<string> {
  if (change) writeFileSync(join(dir, "backend/static/app.css"), `${readFileSync(join(dir, "backend/static/app.css"), "utf8")}\n/* ${message} */\n`);
  await run("git", ["add", "-A"], dir);
  await run("git", ["-c", "user.email=b@b.invalid", "-c", "user.name=bench", "commit", "-q", "-m", message], dir);
  return (await run("git", ["rev-parse", "HEAD"], dir)).stdout.trim();
}

/** Step durations, plus the time Docker took to stop (or pause) the previous release (`stop`). */
export function stepTimes(stdout: string): Record<string, number> {
  const times: Record<string, number> = {};
  for (const line of stdout.split("\n")) {
    const event = line ? (JSON.parse(line) as { event?: string; step?: string; durationMs?: number; line?: string }) : {};
    if (event.event === "step" && event.step && event.durationMs !== undefined) times[event.step] = event.durationMs;
    const stopped = event.event === "log" ? /^kept v\d+ for rollback in (\d+) ms/.exec(event.line ?? "") : null;
    if (stopped) times.stop = Number(stopped[1]);
  }
  return times;
}

export interface SlipwayCopy extends AsyncDisposable {
  readonly dir: string;
  readonly port: number;
  slipway(args: string[]): Promise<Ran>;
}

/** The example app with its own Slipway home, router and port, removed whole when disposed. */
export async function slipwayCopy(name: string, drainMs = 1000, extraYml = "", edit?: ComposeEdit): Promise<SlipwayCopy> {
  const port = await freePort();
  const project = `bench-${name}-${process.pid}`;
  const yml = `project: ${project}\ndrain: ${drainMs}ms\n${extraYml}routes:\n  - service: frontend\n    port: 80\n    listen: ${port}\n    healthcheck: { path: /frontend-healthz, interval: 250ms, passes: 2 }\n`;
  const dir = await repoCopy(name, port, yml, edit);
  const env = { SLIPWAY_HOME: join(resolve(dir, ".."), "home"), SLIPWAY_ROUTER_NAME: `slipway-router-${project}`, SLIPWAY_ROUTER_IMAGE: process.env.SLIPWAY_ROUTER_IMAGE ?? "haproxy:2.6" };
  const slipway = (args: string[]): Promise<Ran> => run(process.execPath, [BIN, ...args], dir, env);
  return {
    dir,
    port,
    slipway,
    async [Symbol.asyncDispose]() {
      await slipway(["down", "--volumes"]).catch(() => undefined);
      await run("docker", ["rm", "-f", env.SLIPWAY_ROUTER_NAME], dir).catch(() => undefined);
      const images = await run("docker", ["images", "-q", "--filter", `reference=${project}/*`], dir);
      const ids = [...new Set(images.stdout.split("\n").filter(Boolean))];
      if (ids.length) await run("docker", ["rmi", "-f", ...ids], dir).catch(() => undefined);
      rmSync(resolve(dir, ".."), { recursive: true, force: true });
    },
  };
}
