/**
 * bench/server: `slipway serve` on SQLite and on PostgreSQL (a throwaway cluster), side by side.
 *   1. GET /api/projects with 100 projects × 2 environments, 50 concurrent clients (autocannon):
 *      requests/s and p99 latency (target: p99 < 50 ms);
 *   2. SSE fan-out: 100 clients follow one deployment; the time until every one has its final
 *      event after it is cancelled;
 *   3. the queue: 200 deploy requests across 20 environments within 10 s: 202 latency p50/p99
 *      (target: p99 < 100 ms).
 * The server runs with --no-worker: these measure the API and the store, not deployments (the
 * projects are checkouts of a compose file, never deployed). All traffic is to 127.0.0.1.
 * Run: npm run bench:server
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { postgresBinaries, startPostgresCluster } from "../src/store/testing/postgres-cluster.ts";
import { BIN, freePort, run } from "./support.ts";

const PROJECTS = 100;
const CLIENTS = 50;
const SSE_CLIENTS = 100;
const QUEUE_REQUESTS = 200;
const QUEUE_ENVIRONMENTS = 20;
const QUEUE_SECONDS = 10;

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  readonly admin: string;
  /** How long the server itself took for each GET /api/projects, from its request log (ms). */
  readonly listTimes: number[];
}

interface Figures {
  readonly store: string;
  readonly listRps: number;
  readonly listP99: number;
  readonly listErrors: number;
  /** The server's own p99 for the same requests (its request log): the rest is queueing for CPU. */
  readonly listServerP99: number;
  readonly sseP50: number;
  readonly sseMax: number;
  readonly sseReceived: number;
  readonly queueP50: number;
  readonly queueP99: number;
  readonly queueNon202: number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function startServer(env: NodeJS.ProcessEnv, cwd: string): Promise<Server> {
  const admin = (await run(process.execPath, [BIN, "tokens", "create", "--role", "admin", "--description", "bench"], cwd, env)).stdout.trim();
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, "serve", "--listen", `127.0.0.1:${port}`, "--no-worker"], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const listTimes: number[] = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.includes('"route":"/api/projects"')) continue;
      const entry = JSON.parse(line) as { method: string; ms: number };
      if (entry.method === "GET") listTimes.push(entry.ms);
    }
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child, admin, listTimes };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("slipway serve did not start");
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.on("close", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

async function call(server: Server, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers = { authorization: `Bearer ${server.admin}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, json: (await response.json()) };
}

/** PROJECTS checkouts (a compose file and a slipway.yml with two environments), registered through the API. */
async function register(server: Server, root: string): Promise<void> {
  for (let i = 0; i < PROJECTS; i++) {
    const dir = join(root, `p${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "docker-compose.yml"), "services:\n  web:\n    build: .\n    ports: [\"8080:80\"]\n");
    writeFileSync(join(dir, "slipway.yml"), `project: p${i}\nenvironments:\n  test: {}\n  live: { default: true }\n`);
    const created = await call(server, "POST", "/api/projects", { name: `p${i}`, path: dir });
    if (created.status !== 201) throw new Error(`registering p${i}: ${JSON.stringify(created.json)}`);
  }
}

async function listProjects(server: Server): Promise<Pick<Figures, "listRps" | "listP99" | "listErrors" | "listServerP99">> {
  const viewer = (await call(server, "POST", "/api/tokens", { role: "viewer" })).json as { token: string };
  server.listTimes.length = 0;
  const result = await autocannon({ url: `${server.url}/api/projects`, connections: CLIENTS, duration: 10, headers: { authorization: `Bearer ${viewer.token}` } });
  return { listRps: result.requests.average, listP99: result.latency.p99, listErrors: result.errors + result.non2xx, listServerP99: percentile(server.listTimes, 99) };
}

/** One SSE client: connects, reads until its final event; resolves with when that came. */
async function follow(url: string, token: string, connected: () => void): Promise<number> {
  // Bounded: a client that never gets its event gives up after 30 s (NaN).
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, signal: AbortSignal.timeout(30_000) });
  connected();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of response.body ?? []) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      if (/event: (cancelled|failed|live)\n/.test(text)) return performance.now();
    }
  } catch {
    // timed out
  }
  return NaN;
}

async function fanOut(server: Server): Promise<Pick<Figures, "sseP50" | "sseMax" | "sseReceived">> {
  const queued = (await call(server, "POST", "/api/projects/p0/environments/live/deployments", {})).json as { id: number };
  let connected = 0;
  const clients = Array.from({ length: SSE_CLIENTS }, () => follow(`${server.url}/api/deployments/${queued.id}/events`, server.admin, () => connected++));
  while (connected < SSE_CLIENTS) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  const cancelledAt = performance.now();
  await call(server, "POST", `/api/deployments/${queued.id}/cancel`);
  const received = (await Promise.all(clients)).map((at) => at - cancelledAt);
  return { sseP50: percentile(received, 50), sseMax: Math.max(...received), sseReceived: received.filter(Number.isFinite).length };
}

async function queue(server: Server): Promise<Pick<Figures, "queueP50" | "queueP99" | "queueNon202">> {
  const latencies: number[] = [];
  let non202 = 0;
  const interval = (QUEUE_SECONDS * 1000) / QUEUE_REQUESTS;
  const requests: Array<Promise<void>> = [];
  for (let i = 0; i < QUEUE_REQUESTS; i++) {
    const env = i % QUEUE_ENVIRONMENTS;
    const path = `/api/projects/p${Math.floor(env / 2) + 1}/environments/${env % 2 === 0 ? "test" : "live"}/deployments`;
    const started = performance.now();
    requests.push(call(server, "POST", path, { ref: `r${i}` }).then((r) => {
      latencies.push(performance.now() - started);
      if (r.status !== 202) non202++;
    }));
    await new Promise((r) => setTimeout(r, interval));
  }
  await Promise.all(requests);
  return { queueP50: percentile(latencies, 50), queueP99: percentile(latencies, 99), queueNon202: non202 };
}

async function measure(store: string, env: NodeJS.ProcessEnv): Promise<Figures> {
  const root = mkdtempSync(join(tmpdir(), `slipway-bench-server-${store}-`));
  const fullEnv = { SLIPWAY_HOME: join(root, "home"), ...env };
  const server = await startServer(fullEnv, root);
  try {
    console.log(`${store}: registering ${PROJECTS} projects`);
    await register(server, join(root, "projects"));
    console.log(`${store}: GET /api/projects under load`);
    const list = await listProjects(server);
    console.log(`${store}: SSE fan-out`);
    const sse = await fanOut(server);
    console.log(`${store}: the queue`);
    return { store, ...list, ...sse, ...(await queue(server)) };
  } finally {
    await stopServer(server);
    rmSync(root, { recursive: true, force: true });
  }
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const results: Figures[] = [await measure("sqlite", {})];
if (postgresBinaries()) {
  await using cluster = await startPostgresCluster();
  results.push(await measure("postgresql", { SLIPWAY_DATABASE_URL: await cluster.createDatabase() }));
} else {
  console.log("PostgreSQL is not installed (apt-get install postgresql): SQLite only");
}
console.log(`\nGET /api/projects (${PROJECTS} projects × 2 environments, ${CLIENTS} clients, 10 s); SSE fan-out to ${SSE_CLIENTS} clients; ${QUEUE_REQUESTS} deploy requests across ${QUEUE_ENVIRONMENTS} environments in ${QUEUE_SECONDS} s\n`);
console.log(["store", "list req/s", "list p99", "(server's own)", "list errors", "SSE p50", "SSE max", "SSE got", "queue p50", "queue p99", "queue non-202"].join(" | "));
for (const r of results) {
  console.log([r.store, r.listRps.toFixed(0), ms(r.listP99), ms(r.listServerP99), r.listErrors, ms(r.sseP50), ms(r.sseMax), `${r.sseReceived}/${SSE_CLIENTS}`, ms(r.queueP50), ms(r.queueP99), r.queueNon202].join(" | "));
}
console.log(`\ntargets: list p99 < 50 ms, queue p99 < 100 ms`);
