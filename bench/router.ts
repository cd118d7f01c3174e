/**
 * bench/router: throughput through the router over plain HTTP (a port route) and over HTTPS
 * (a host-name route, TLS 1.3, HTTP/1.1 keep-alive), against the backend direct, side by side
 * in one run; then the TLS handshake rate (a new connection per request) through the router.
 * The backend is a Node HTTP server in a process of its own; 50 keep-alive clients; every
 * figure goes to 127.0.0.1. Run: npm run bench:router
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import autocannon from "autocannon";
import { build } from "esbuild";
import type { connectDocker as ConnectDocker } from "../src/adapters/docker-engine.ts";
import type { createRouter as CreateRouter } from "../src/router/router.ts";
import { freePort, ROOT, run } from "./support.ts";

const CLIENTS = 50;
const SECONDS = 8;
const HOST = "bench.test";

const BACKEND = `require("node:http").createServer((q, s) => s.end("ok\\n")).listen(Number(process.argv[1]), "127.0.0.1", () => process.send?.("up"));`;

async function startBackend(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", BACKEND, String(port)], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((ok, fail) => (child.once("message", () => ok()), child.once("exit", (code) => fail(new Error(`backend exited ${code}`)))));
  return child;
}

async function rate(url: string, extra: Partial<autocannon.Options> = {}): Promise<{ rps: number; p99: number; failed: number }> {
  const result = await autocannon({ url, connections: CLIENTS, duration: SECONDS, ...extra });
  return { rps: result.requests.average, p99: result.latency.p99, failed: result.errors + result.non2xx + result.timeouts };
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
  const direct = await rate(`http://127.0.0.1:${backendPort}/`);
  const http = await rate(`http://127.0.0.1:${httpPort}/`);
  const https = await rate(`https://127.0.0.1:${webHttps}/`, { servername: HOST, headers: { host: HOST } });
  const perSecond = await handshakes(webHttps, ca);
  const row = (name: string, r: { rps: number; p99: number; failed: number }): string =>
    `${name.padEnd(28)} ${Math.round(r.rps).toString().padStart(8)} req/s  p99 ${String(r.p99).padStart(4)} ms  ${(r.rps / direct.rps).toFixed(2)}x direct  ${r.failed} failed`;
  const os = await import("node:os");
  console.log(`router throughput, ${CLIENTS} keep-alive clients, ${SECONDS} s each (${os.cpus().length} cores, 1-minute load average ${os.loadavg()[0]?.toFixed(1)}: other work on the host counts)`);
  console.log(row("direct to the backend", direct));
  console.log(row("router, plain HTTP", http));
  console.log(row("router, HTTPS (TLS 1.3)", https));
  console.log(`TLS costs ${Math.round((1 - https.rps / http.rps) * 100)}% of plain HTTP's throughput through the router`);
  console.log(`TLS handshakes through the router (ECDSA P-256, new connection each): ${Math.round(perSecond)}/s`);
} finally {
  backend.kill();
  await router.remove();
  rmSync(home, { recursive: true, force: true });
}
