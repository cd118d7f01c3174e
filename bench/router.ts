/**
 * bench/router: throughput through the router over plain HTTP (a port route) and over HTTPS
 * (a host-name route, TLS 1.3, HTTP/1.1 keep-alive), against the backend direct, side by side
 * in one run; then the TLS handshake rate (a new connection per request) through the router.
 * The backend is a Node HTTP server in a process of its own; 50 keep-alive clients from wrk
 * (Debian's package: a C load generator on one thread, so that the client takes as little of
 * the shared cores as it can; autocannon, in Node, cost about as much CPU per request as the
 * backend itself); every figure goes to 127.0.0.1. The three are measured in turns, several rounds, each figure the
 * median of its rounds, so that a burst of other work on the host hits them alike. Beside each,
 * the host's CPU busy and CPU time per request: the client, the backend and the router share
 * the same cores, so the router's own cost per request is the difference to the direct row.
 * Run: npm run bench:router
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { build } from "esbuild";
import type { connectDocker as ConnectDocker } from "../src/adapters/docker-engine.ts";
import type { createRouter as CreateRouter } from "../src/router/router.ts";
import { freePort, ROOT, run } from "./support.ts";
import { parseWrk } from "./wrk.ts";

const CLIENTS = 50;
const SECONDS = 4;
const ROUNDS = 3;
/** Router throughput against direct to the backend. */
const TARGET = 0.7;
const HOST = "bench.test";

const BACKEND = `require("node:http").createServer((q, s) => s.end("ok\\n")).listen(Number(process.argv[1]), "127.0.0.1", () => process.send?.("up"));`;

async function startBackend(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", BACKEND, String(port)], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((ok, fail) => (child.once("message", () => ok()), child.once("exit", (code) => fail(new Error(`backend exited ${code}`)))));
  return child;
}

interface Rate {
  readonly rps: number;
  readonly p99: number;
  readonly failed: number;
  /** Share of all the host's cores busy meanwhile (0..1), and CPU time per request on them. */
  readonly busy: number;
  readonly cpuPerRequestUs: number;
}

/** Busy and total CPU time of all cores so far, in ms. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

async function rate(url: string, host?: string): Promise<Rate> {
  const before = cpuTimes();
  const args = ["-t1", `-c${CLIENTS}`, `-d${SECONDS}s`, "--latency", ...(host ? ["-H", `Host: ${host}`] : []), url];
  const result = parseWrk((await run("wrk", args, ROOT)).stdout);
  const after = cpuTimes();
  const busyMs = after.busy - before.busy;
  return {
    rps: result.rps,
    p99: result.p99Ms,
    failed: result.failed,
    busy: busyMs / Math.max(1, after.total - before.total),
    cpuPerRequestUs: (busyMs * 1000) / Math.max(1, result.requests),
  };
}

/** The round of median throughput, its failures those of all rounds. */
function median(rounds: readonly Rate[]): Rate {
  const sorted = [...rounds].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor(sorted.length / 2)] as Rate;
  return { ...middle, failed: rounds.reduce((sum, r) => sum + r.failed, 0) };
}

/** New TLS connections per second: each client connects, completes the handshake, closes, again. */
async function handshakes(port: number, ca: string, seconds = 5, clients = 8): Promise<number> {
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const once = (): Promise<void> =>
    new Promise((ok, fail) => {
      const socket = connect({ host: "127.0.0.1", port, servername: HOST, ca, ALPNProtocols: ["http/1.1"] }, () => {
        done++;
        socket.destroy();
        ok();
      });
      socket.on("error", fail);
    });
  await Promise.all(Array.from({ length: clients }, async () => {
    while (Date.now() < until) await once();
  }));
  return done / seconds;
}

const home = mkdtempSync(join(tmpdir(), "slipway-bench-router-"));
// Slipway's router module, bundled (its imports name .js files, which Node's type stripping cannot map),
// beside node_modules so that its packages resolve.
const bundle = join(ROOT, "node_modules/.cache/slipway-bench/router.mjs");
const entry = 'export { createRouter } from "./src/router/router.ts"; export { connectDocker } from "./src/adapters/docker-engine.ts";';
await build({ stdin: { contents: entry, resolveDir: ROOT, loader: "ts" }, bundle: true, platform: "node", format: "esm", packages: "external", outfile: bundle, logLevel: "error" });
const { createRouter, connectDocker } = (await import(bundle)) as { createRouter: typeof CreateRouter; connectDocker: typeof ConnectDocker };
const [backendPort, httpPort, webHttp, webHttps] = [await freePort(), await freePort(), await freePort(), await freePort()];
const router = createRouter({ docker: connectDocker, home, containerName: `slipway-router-bench-${process.pid}`, web: { http: webHttp, https: webHttps }, labels: { "slipway.bench": "router" } });
const backend = await startBackend(backendPort);
try {
  await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(home, "k.pem"), "-out", join(home, "c.pem"), "-subj", `/CN=${HOST}`, "-addext", `subjectAltName=DNS:${HOST}`, "-days", "2"], home);
  const ca = readFileSync(join(home, "c.pem"), "utf8");
  await router.installCertificate("bench", `${ca.trim()}\n${readFileSync(join(home, "k.pem"), "utf8").trim()}\n`);
  const routes = [
    { backend: "bench_http", listen: httpPort, hosts: [] },
    { backend: "bench_web", listen: 0, hosts: [HOST], certificate: "bench" },
  ];
  await router.ensure(routes);
  for (const route of routes) await router.addServer(route.backend, "v1-web-1", `127.0.0.1:${backendPort}`);
  await new Promise((ok) => setTimeout(ok, 500));
  const rounds: { direct: Rate[]; http: Rate[]; https: Rate[] } = { direct: [], http: [], https: [] };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.direct.push(await rate(`http://127.0.0.1:${backendPort}/`));
    rounds.http.push(await rate(`http://127.0.0.1:${httpPort}/`));
    rounds.https.push(await rate(`https://127.0.0.1:${webHttps}/`, HOST));
  }
  const [direct, http, https] = [median(rounds.direct), median(rounds.http), median(rounds.https)];
  const perSecond = await handshakes(webHttps, ca);
  const row = (name: string, r: Rate, target?: number): string =>
    `${name.padEnd(28)} ${Math.round(r.rps).toString().padStart(8)} req/s  p99 ${String(r.p99).padStart(4)} ms  ${(r.rps / direct.rps).toFixed(2)}x direct` +
    `${target === undefined ? "         " : r.rps / direct.rps >= target ? ` ok     ` : ` MISSED `} ${r.failed} failed  CPU ${Math.round(r.busy * 100)}% busy, ${r.cpuPerRequestUs.toFixed(1)} µs/request`;
  console.log(`router throughput, ${CLIENTS} keep-alive clients, median of ${ROUNDS} rounds of ${SECONDS} s each, in turns (${cpus().length} cores, 1-minute load average ${loadavg()[0]?.toFixed(1)}: other work on the host counts)`);
  console.log(row("direct to the backend", direct));
  console.log(row("router, plain HTTP", http, TARGET));
  console.log(row("router, HTTPS (TLS 1.3)", https));
  console.log(`target: router over plain HTTP ≥ ${TARGET}x direct (HTTPS: what TLS costs, below); the router's CPU per request (over direct's, on the same cores): plain HTTP ${(http.cpuPerRequestUs - direct.cpuPerRequestUs).toFixed(1)} µs, HTTPS ${(https.cpuPerRequestUs - direct.cpuPerRequestUs).toFixed(1)} µs`);
  console.log(`TLS costs ${Math.round((1 - https.rps / http.rps) * 100)}% of plain HTTP's throughput through the router`);
  console.log(`TLS handshakes through the router (ECDSA P-256, new connection each): ${Math.round(perSecond)}/s`);
} finally {
  backend.kill();
  await router.remove();
  rmSync(home, { recursive: true, force: true });
}
