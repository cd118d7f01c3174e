/**
 * The server's queue through its API, against in-memory fakes of the engine, compose, git and
 * the router (compose's own `config` reads the project): a request is queued, claimed and run;
 * its events replay over SSE; a newer request supersedes one still waiting; the build limit
 * holds across environments; cancel, the deadline and a stopping server end a deployment
 * cleanly; a dead server's deployment is reconciled and the queue goes on.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createComposeCli } from "../../src/adapters/compose-cli.js";
import { createApp, deploy, type DeploymentEvent } from "../../src/app/index.js";
import type { ExecOptions } from "../../src/adapters/compose-cli.js";
import { runCommand } from "../../src/adapters/run-command.js";
import { openStore } from "../../src/store/store.js";
import { deadPid } from "../../src/store/testing/process.js";
import { newPostgresUrl, storeKinds } from "../../src/store/testing/store-kinds.js";
import { createWorker, type Worker } from "../../src/server/worker.js";
import { apiHarness, type ApiHarness } from "../support/api.js";
import { fakeCompose, fakeEngine, fakeGit, fakeHost, fakeRouter, type FakeHost } from "../support/fake-host.js";
import { FIXTURES } from "../support/fixtures.js";
import { readEvents, type SseEvent } from "../support/sse.js";

const COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
let backend: Server;
let port: number;
let root: string;
let dir: string;
let host: FakeHost;
let api: ApiHarness;
let worker: Worker;
let admin: string;
/** The PostgreSQL database of the run, when the suite runs on one. */
let databaseUrl: string | undefined;

/** A compose command held until released (or aborted): a build that takes as long as a test needs. */
function hold(verb: string): { release(): void; started: Promise<void> } {
  let release = (): void => undefined;
  let started = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const begun = new Promise<void>((resolve) => (started = resolve));
  const previous = host.onCompose;
  host.onCompose = async (v: string, options: ExecOptions) => {
    await previous?.(v, options);
    if (v !== verb) return;
    started();
    await Promise.race([gate, new Promise((resolve) => options.signal?.addEventListener("abort", resolve, { once: true }))]);
  };
  return { release: () => release(), started: begun };
}

/** Every `docker compose build`'s arguments. */
let builds: string[][] = [];

/** The fakes, with compose's own `config` to read the project. */
function adapters() {
  const real = createComposeCli();
  const fake = fakeCompose(host, { port });
  const compose = {
    ...fake,
    config: real.config.bind(real),
    exec: (project: Parameters<typeof fake.exec>[0], args: readonly string[], options?: ExecOptions) => {
      if (args[0] === "build") builds.push([...args]);
      return fake.exec(project, args, options);
    },
  };
  return { git: fakeGit(host, COMMIT), compose, engine: fakeEngine(host), router: fakeRouter(host) };
}

async function start(options: { buildLimit?: number; deadlineMs?: number } = {}): Promise<void> {
  api = await apiHarness({
    ...(databaseUrl ? { env: { SLIPWAY_DATABASE_URL: databaseUrl } } : {}),
    settings: { adapters: adapters(), buildLimit: options.buildLimit ?? 1 },
    worker: (app) => (worker = createWorker({ app, deadlineMs: options.deadlineMs ?? 60_000, maxRunning: 8, pollMs: 50, log: () => undefined })),
  });
  admin = await api.token("admin");
  const registered = await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", path: dir } });
  expect(registered.status, registered.text).toBe(201);
}

interface DeploymentJson {
  id: number;
  status: string;
  error?: string;
  runningAt?: string;
  finishedAt?: string;
  steps?: Array<{ name: string; status: string }>;
}

async function ask(environment: string, body: object = { buildMode: "force" }): Promise<DeploymentJson> {
  const response = await api.request("POST", `/api/projects/shop/environments/${environment}/deployments`, { token: admin, body });
  expect(response.status, response.text).toBe(202);
  return response.json as DeploymentJson;
}

async function deployment(id: number): Promise<DeploymentJson> {
  return (await api.request("GET", `/api/deployments/${id}`, { token: admin })).json as DeploymentJson;
}

async function until(id: number, statuses: readonly string[]): Promise<DeploymentJson> {
  for (let i = 0; i < 400; i++) {
    const d = await deployment(id);
    if (statuses.includes(d.status)) return d;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`deployment ${id} never became ${statuses.join(" or ")}: ${JSON.stringify(await deployment(id))}`);
}

const events = (id: number, lastEventId?: number): Promise<SseEvent[]> => readEvents(`${api.url}/api/deployments/${id}/events`, { token: admin, ...(lastEventId ? { lastEventId } : {}) });
const runningReleases = (): string[] => [...new Set([...host.containers.values()].filter((c) => c.status === "running").map((c) => c.labels["slipway.release"] ?? ""))].sort();

beforeAll(async () => {
  backend = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((ok) => backend.listen(0, "127.0.0.1", ok));
  port = (backend.address() as { port: number }).port;
  root = mkdtempSync(join(tmpdir(), "slipway-queue-"));
  dir = join(root, "shop");
  cpSync(join(FIXTURES, "web-and-release"), dir, { recursive: true });
  writeFileSync(
    join(dir, "slipway.yml"),
    ["project: shop", "routes:", "  - service: web", "    port: 8000", "    healthcheck: { path: /, interval: 10ms, timeout: 1s, passes: 1, deadline: 5s }", "drain: 0s", "environments:", "  test: { listen: 18001 }", "  production: { default: true, listen: 18002 }", ""].join("\n"),
  );
  await runCommand("git", ["-C", dir, "init", "-q", "-b", "main"]);
});

afterAll(async () => {
  await new Promise<void>((ok) => backend.close(() => ok()));
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  host = fakeHost();
  builds = [];
});

afterEach(async () => {
  await api?.[Symbol.asyncDispose]();
});

describe.each(storeKinds().map((k) => k.name))("the queue, through the API (%s)", (kind) => {
  beforeEach(async () => {
    databaseUrl = kind === "postgres" ? await newPostgresUrl() : undefined;
  });

  it("runs a queued deploy, and its event stream replays every step, then live ones, to the final live", async () => {
    await start();
    const build = hold("build");
    const queued = await ask("production");
    expect(queued.status).toBe("queued");
    await build.started;
    const stream = events(queued.id);
    build.release();
    const seen = await stream;
    expect(seen[0]?.event).toBe("queued");
    expect(seen.filter((e) => e.event === "step-finished").map((e) => (e.data as { step: string }).step)).toEqual(["preflight", "source", "build", "release", "start", "verify", "switch", "retire"]);
    expect(seen.at(-1)).toMatchObject({ event: "live", data: { type: "live", deploymentId: queued.id, release: "v1" } });
    expect(seen.map((e) => e.id)).toEqual([...seen.map((e) => e.id)].sort((a, b) => a - b));
    const done = await deployment(queued.id);
    expect(done).toMatchObject({ status: "succeeded", steps: expect.arrayContaining([expect.objectContaining({ name: "switch", status: "succeeded" })]) as unknown });
    // Last-Event-ID: the rest of the stream only.
    const resumed = await events(queued.id, seen[2]?.id);
    expect(resumed.map((e) => e.id)).toEqual(seen.slice(3).map((e) => e.id));
    const log = await api.request("GET", `/api/deployments/${queued.id}/log`, { token: admin });
    expect(log.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("supersedes a request still waiting with a newer one, and runs that one next", async () => {
    await start();
    const build = hold("build");
    const first = await ask("production");
    await build.started;
    const second = await ask("production");
    const third = await ask("production");
    expect(await deployment(second.id)).toMatchObject({ status: "superseded", error: `superseded by deployment ${third.id}` });
    expect((await events(second.id)).at(-1)).toMatchObject({ event: "cancelled", data: { reason: `superseded by deployment ${third.id}` } });
    expect((await deployment(third.id)).status).toBe("queued");
    build.release();
    const [a, c] = [await until(first.id, ["succeeded"]), await until(third.id, ["succeeded"])];
    expect(Date.parse(c.runningAt ?? "")).toBeGreaterThanOrEqual(Date.parse(a.finishedAt ?? ""));
  });

  it.each([1, 2])("lets %i build(s) run at once across two environments", async (limit) => {
    await start({ buildLimit: limit });
    let now = 0;
    let most = 0;
    host.onCompose = async (verb) => {
      if (verb !== "build") return;
      most = Math.max(most, ++now);
      await new Promise((r) => setTimeout(r, 200));
      now--;
    };
    const [test, production] = [await ask("test"), await ask("production")];
    await Promise.all([until(test.id, ["succeeded"]), until(production.id, ["succeeded"])]);
    expect(most).toBe(limit);
    const waited = await Promise.all([test.id, production.id].map(async (id) => (await api.request("GET", `/api/deployments/${id}/log`, { token: admin })).text));
    expect(waited.some((log) => log.includes("waiting for a build slot"))).toBe(limit === 1);
  });

  it("cancels a running deployment before its switch: the live release untouched, nothing of the new one left", async () => {
    await start();
    await until((await ask("production")).id, ["succeeded"]);
    const build = hold("build");
    const second = await ask("production");
    await build.started;
    const cancel = await api.request("POST", `/api/deployments/${second.id}/cancel`, { token: admin });
    expect(cancel.json).toMatchObject({ outcome: "requested" });
    expect(await until(second.id, ["cancelled", "failed"])).toMatchObject({ status: "cancelled" });
    expect((await events(second.id)).at(-1)).toMatchObject({ event: "cancelled" });
    expect(runningReleases()).toEqual(["v1"]);
    const releases = (await api.request("GET", "/api/projects/shop/environments/production/releases", { token: admin })).json as Array<{ name: string; status: string }>;
    expect(releases.find((r) => r.status === "live")?.name).toBe("v1");
  });

  it("cancels a waiting request at once, without running it", async () => {
    await start();
    const build = hold("build");
    const first = await ask("production");
    await build.started;
    const second = await ask("test");
    // test is idle, so it was claimed too: hold it at the build limit's line instead.
    const waiting = await ask("production");
    const cancel = await api.request("POST", `/api/deployments/${waiting.id}/cancel`, { token: admin });
    expect(cancel.json).toMatchObject({ outcome: "cancelled", deployment: { status: "cancelled" } });
    build.release();
    await Promise.all([until(first.id, ["succeeded"]), until(second.id, ["succeeded"])]);
    expect((await deployment(waiting.id)).steps).toEqual([]);
  });

  it("cancels a deployment that passes its deadline", async () => {
    await start({ deadlineMs: 300 });
    hold("build");
    const late = await ask("production");
    expect(await until(late.id, ["cancelled", "failed"])).toMatchObject({ status: "cancelled", error: expect.stringContaining("deadline") as unknown });
  });

  it("on stop, lets a running deployment finish within the grace period, and cancels it after", async () => {
    await start();
    const build = hold("build");
    const running = await ask("production");
    await build.started;
    setTimeout(() => build.release(), 100);
    await worker.stop(5000);
    expect((await deployment(running.id)).status).toBe("succeeded");
    host.onCompose = undefined;
    await api[Symbol.asyncDispose]();

    await start();
    hold("build");
    const stuck = await ask("production");
    await until(stuck.id, ["running"]);
    await worker.stop(100);
    expect(await deployment(stuck.id)).toMatchObject({ status: "cancelled", error: expect.stringContaining("the server stopped") as unknown });
  });

  it("after a server died, marks its deployment interrupted, frees the lock, and runs what waits", async () => {
    await start();
    await worker.stop(0);
    const orphan = await ask("production");
    const dead = { pid: await deadPid(), hostname: hostname(), now: () => new Date() };
    {
      // The dead server had claimed it, taken the lock and begun building.
      await using store = await openStore({ ...(databaseUrl ? { url: databaseUrl } : { home: api.home }), identity: dead });
      expect((await store.claimDeployment())?.id).toBe(orphan.id);
      await store.updateDeployment(orphan.id, { status: "running" });
      await store.startStep(orphan.id, "build");
      await store.acquireLock((await store.deployment(orphan.id))?.environmentId ?? 0, { description: `deployment ${orphan.id}` });
    }
    const waiting = await ask("test");
    const next = createWorker({ app: api.app, deadlineMs: 60_000, maxRunning: 8, pollMs: 50, log: () => undefined });
    await next.start();
    try {
      expect(await until(orphan.id, ["interrupted"])).toMatchObject({ error: "its process stopped during build" });
      expect((await events(orphan.id)).at(-1)).toMatchObject({ event: "failed", data: { code: "E_INTERRUPTED" } });
      await until(waiting.id, ["succeeded"]);
      await until((await ask("production")).id, ["succeeded"]);
    } finally {
      await next.stop(1000);
    }
  });
  it("never runs one deployment twice with two servers on one store", async () => {
    await start();
    // A second server: its own application, store connection and worker, on the same database.
    const env = { ...api.app.env, ...(databaseUrl ? { SLIPWAY_DATABASE_URL: databaseUrl } : {}) };
    await using other = createApp({ env, identity: { pid: process.pid, hostname: hostname() }, adapters: adapters(), buildLimit: 1 });
    const second = createWorker({ app: other, deadlineMs: 60_000, maxRunning: 8, pollMs: 10, log: () => undefined });
    await second.start();
    try {
      const preflights = new Map<number, number>();
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push(await ask(i % 2 === 0 ? "test" : "production", { buildMode: "auto" }).then((d) => d.id));
      for (const id of ids) await until(id, ["succeeded", "superseded"]);
      for (const id of ids) {
        const seen = await events(id);
        preflights.set(id, seen.filter((e) => e.event === "step-started" && (e.data as { step: string }).step === "preflight").length);
      }
      for (const [id, count] of preflights) expect(count, `deployment ${id}`).toBeLessThanOrEqual(1);
      expect([...preflights.values()].filter((c) => c === 1).length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop(1000);
    }
  });
  it("leaves the CLI's own deployments to the CLI: queued, run and live in its process, never claimed", async () => {
    await start();
    const seen: DeploymentEvent[] = [];
    const outcome = await deploy(api.app, { dir, environment: "test", actor: "cli ann", cache: true, buildMode: "force" }, { events: (e) => seen.push(e), wait: true });
    expect(seen[0]).toMatchObject({ type: "queued", deploymentId: outcome.deploymentId });
    expect(seen.at(-1)).toMatchObject({ type: "live", release: "v1" });
    expect(await deployment(outcome.deploymentId)).toMatchObject({ status: "succeeded", actor: "cli ann" });
    expect(worker.running()).toEqual([]);
  });
  it("builds without Docker's layer cache unless the request, the registration or slipway.yml says otherwise", async () => {
    await start();
    await until((await ask("test", {})).id, ["succeeded"]);
    expect(builds.at(-1)).toEqual(["build", "--no-cache"]);
    await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", path: dir, settings: { cache: true } } });
    host.images.clear();
    await until((await ask("test", {})).id, ["succeeded"]);
    expect(builds.at(-1)).toEqual(["build"]);
    host.images.clear();
    await until((await ask("test", { noCache: true })).id, ["succeeded"]);
    expect(builds.at(-1)).toEqual(["build", "--no-cache"]);
    await api.request("POST", "/api/projects", { token: admin, body: { name: "shop", path: dir } });
    const yml = readFileSync(join(dir, "slipway.yml"), "utf8");
    writeFileSync(join(dir, "slipway.yml"), `${yml}cache: true\n`);
    try {
      host.images.clear();
      await until((await ask("test", {})).id, ["succeeded"]);
      expect(builds.at(-1)).toEqual(["build"]);
    } finally {
      writeFileSync(join(dir, "slipway.yml"), yml);
    }
  });
});
