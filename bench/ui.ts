/**
 * bench/ui: the web UI's projects page with 100 projects × 2 environments, in Debian's Chromium
 * (playwright-core) against a real `slipway serve` (SQLite, --no-worker):
 *   - time to first render (the page's first contentful paint) and to all data shown (every
 *     environment's card with its state and URL), from the start of navigation, median of 5
 *     loads (target < 1 s);
 *   - what the first load transfers, compressed: the UI's own files (target < 150 KB), and the
 *     API's answers beside them.
 * Every environment has a deployment waiting (a queue without a worker) and a route with a host
 * name, so each card has a state, a deployment link and a URL to show; nothing is deployed, so
 * no card has a live release (that part of a card is the same size). All traffic is to 127.0.0.1.
 * Run: npm run bench:ui
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type CDPSession, type Page } from "playwright-core";
import { BIN, freePort, run } from "./support.ts";

const PROJECTS = 100;
const LOADS = 5;
const PASSWORD = "a password for the benchmark";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function seed(url: string, token: string, root: string, home: string): Promise<void> {
  const call = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  const routes: Record<string, unknown> = {};
  for (let i = 0; i < PROJECTS; i++) {
    const dir = join(root, `p${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "docker-compose.yml"), 'services:\n  web:\n    build: .\n    ports: ["8080:80"]\n');
    writeFileSync(join(dir, "slipway.yml"), `project: p${i}\nenvironments:\n  test: {}\n  live: { default: true }\n`);
    await call("/api/projects", { name: `p${i}`, path: dir });
    for (const env of ["test", "live"]) {
      await call(`/api/projects/p${i}/environments/${env}/deployments`, { ref: "main" });
      routes[`p${i}_${env}_web_80`] = { project: `p${i}`, environment: env, listen: 80, hosts: [`${env}.p${i}.example.test`], servers: [] };
    }
  }
  // The router's registry, as a deploy leaves it: where each environment answers.
  mkdirSync(join(home, "router"), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, "router", "routes.json"), JSON.stringify(routes), { mode: 0o600 });
}

interface Load {
  readonly firstPaint: number;
  readonly allShown: number;
  /** Bytes on the wire (headers and compressed bodies), as the browser's network layer counted them. */
  readonly assets: number;
  readonly api: number;
}

/** What each request of a load put on the wire, by path, from the browser's own network events. */
function countBytes(cdp: CDPSession): { bytes: Map<string, number>; stop(): void } {
  const paths = new Map<string, string>();
  const bytes = new Map<string, number>();
  const received = (e: { requestId: string; response: { url: string } }): void => void paths.set(e.requestId, new URL(e.response.url).pathname);
  const finished = (e: { requestId: string; encodedDataLength: number }): void => {
    const path = paths.get(e.requestId);
    if (path) bytes.set(path, (bytes.get(path) ?? 0) + e.encodedDataLength);
  };
  cdp.on("Network.responseReceived", received);
  cdp.on("Network.loadingFinished", finished);
  return {
    bytes,
    stop() {
      cdp.off("Network.responseReceived", received);
      cdp.off("Network.loadingFinished", finished);
    },
  };
}

async function load(page: Page, url: string, cdp: CDPSession): Promise<Load> {
  const counted = countBytes(cdp);
  await page.goto(`${url}/#/`);
  // Every card with its state and its URL (this file is compiled without the DOM's types).
  const cards = (n: number): boolean => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document;
    return doc.querySelectorAll("li.env .state").length === n && doc.querySelectorAll("li.env .urls a").length === n;
  };
  await page.waitForFunction(cards, PROJECTS * 2, { polling: "raf", timeout: 30_000 });
  const allShown = await page.evaluate(() => performance.now());
  const firstPaint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
  counted.stop();
  const entries = [...counted.bytes];
  const sum = (list: Array<[string, number]>): number => list.reduce((total, [, n]) => total + n, 0);
  return { firstPaint, allShown, assets: sum(entries.filter(([path]) => !path.startsWith("/api/"))), api: sum(entries.filter(([path]) => path.startsWith("/api/"))) };
}

const root = mkdtempSync(join(tmpdir(), "slipway-bench-ui-"));
const home = join(root, "home");
const env = { SLIPWAY_HOME: home, SLIPWAY_MASTER_KEY: "a-bench-master-key-of-32-characters-or-more" };
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const token = (await run(process.execPath, [BIN, "tokens", "create", "--role", "admin", "--description", "bench"], root, env)).stdout.trim();
const server = spawn(process.execPath, [BIN, "serve", "--listen", `127.0.0.1:${port}`, "--no-worker"], { cwd: root, env: { ...process.env, ...env }, stdio: "ignore" });
const profile = mkdtempSync(join(tmpdir(), "slipway-bench-chromium-"));
try {
  for (let i = 0; i < 100 && !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`registering ${PROJECTS} projects × 2 environments, each with a deployment waiting and a route`);
  await seed(url, token, join(root, "projects"), home);
  const added = await fetch(`${url}/api/users`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "bench", role: "viewer", password: PASSWORD }) });
  if (added.status !== 201) throw new Error(`adding a user: ${added.status}`);
  const context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // Sign in through the page's own API call, so the session cookie is the browser's.
    await page.goto(`${url}/#/signin`);
    await page.getByLabel("User").fill("bench");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
    // Every load as a first visit: nothing from the browser's cache.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      await page.goto("about:blank");
      loads.push(await load(page, url, cdp));
    }
    const first = loads[0];
    console.log(`\nprojects page, ${PROJECTS} projects × 2 environments, Chromium, median of ${LOADS} loads, each with the browser's cache off`);
    console.log(`  first render (first contentful paint): ${median(loads.map((l) => l.firstPaint)).toFixed(0)} ms   (each: ${loads.map((l) => l.firstPaint.toFixed(0)).join(", ")})`);
    console.log(`  all data shown (${PROJECTS * 2} cards with state and URL): ${median(loads.map((l) => l.allShown)).toFixed(0)} ms   (each: ${loads.map((l) => l.allShown.toFixed(0)).join(", ")})   target < 1000 ms`);
    console.log(`  a load, on the wire (compressed, with headers): the UI's files ${((first?.assets ?? NaN) / 1024).toFixed(1)} KB (target < 150 KB), the API's answers ${((first?.api ?? NaN) / 1024).toFixed(1)} KB (uncompressed JSON)`);
  } finally {
    await context.close();
  }
} finally {
  const exited = new Promise((resolve) => server.once("close", resolve));
  server.kill("SIGTERM");
  await exited;
  rmSync(profile, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
}
