/**
 * The pipeline's rules, with in-memory fakes of the engine, compose, git and router and an
 * in-memory store: whatever fails before the switch leaves the live release serving and takes
 * the new one down; nothing after the switch takes the new one down; a cancellation follows
 * the same line; a deployment waiting for the lock is queued, not running.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeploymentEvent } from "../../src/core/events.js";
import { isSlipwayError } from "../../src/core/errors.js";
import { deploy, queueDeployment, runDeployment } from "../../src/pipeline/deploy.js";
import type { DeployDeps, DeployRequest } from "../../src/pipeline/deploy-run.js";
import { homePaths } from "../../src/pipeline/paths.js";
import { reconcile } from "../../src/pipeline/reconcile.js";
import { deadPid } from "../../src/store/testing/process.js";
import type { ResolvedProject } from "../../src/project/resolve-project.js";
import { createSealer, generateKeyText, keyMaterial } from "../../src/secrets/cipher.js";
import { openStore, type Store } from "../../src/store/store.js";
import { fakeCompose, fakeEngine, fakeGit, fakeHost, fakeRouter, type FakeHost } from "../support/fake-host.js";
import { resolveFixture } from "../support/fixtures.js";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
let resolved: ResolvedProject;
let server: Server;
let port: number;
let home: string;
let host: FakeHost;
let store: Store;
let events: DeploymentEvent[];
let onEvent: (event: DeploymentEvent) => void;

/** Time moves only when the pipeline sleeps: readiness intervals and drains take no real time. */
function virtualClock(): DeployDeps["clock"] {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      offset += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function deps(): DeployDeps {
  const sealer = createSealer(keyMaterial(generateKeyText(), "a test key"), "a test key");
  return {
    git: fakeGit(host, COMMIT),
    compose: fakeCompose(host, { port }),
    engine: fakeEngine(host),
    router: fakeRouter(host),
    store,
    events: (event) => {
      events.push(event);
      onEvent(event);
    },
    clock: virtualClock(),
    paths: homePaths(home),
    redact: (text) => text,
    sealer: () => sealer,
    identity: { pid: process.pid, hostname: "this-host" },
  };
}

function request(tag: string): DeployRequest {
  return { resolved, ref: "main", commit: COMMIT, tag, cache: true, actor: "tester", buildMode: "force" };
}

const running = (release: string): string[] =>
  [...host.containers.values()].filter((c) => c.status === "running" && c.labels["slipway.release"] === release).map((c) => c.labels["slipway.service"] ?? "");
const served = (): string[] => [...host.servers.values()].flat().filter((s) => s.state === "ready").map((s) => s.name);
const liveNumber = async (): Promise<number | undefined> => (await store.liveRelease(1))?.number;

beforeAll(async () => {
  resolved = await resolveFixture("web-and-release");
  server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "slipway-rules-"));
  host = fakeHost();
  store = await openStore({ database: ":memory:", identity: { pid: process.pid, hostname: "this-host", now: () => new Date() } });
  events = [];
  onEvent = () => undefined;
  // v1 is live before each rule is tried.
  await deploy(deps(), request("v1tag"), { wait: true });
  return async () => {
    await store[Symbol.asyncDispose]();
    rmSync(home, { recursive: true, force: true });
  };
});

async function failingDeploy(options: { signal?: AbortSignal } = {}): Promise<{ error: unknown; deploymentId: number }> {
  const d = deps();
  const ticket = await queueDeployment(d, request("v2tag"));
  const error = await runDeployment(d, ticket, request("v2tag"), { wait: true, ...options }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, deploymentId: ticket.deploymentId };
}

describe("the pipeline's rules", () => {
  it("a first deploy goes live: its containers run and the router serves them", async () => {
    expect(await liveNumber()).toBe(1);
    expect(running("v1")).toEqual(["web"]);
    expect(served()).toEqual(["v1-web-1"]);
    expect(events.filter((e) => e.type === "step-finished").map((e) => e.type === "step-finished" && `${e.step}:${e.outcome}`)).toEqual([
      "preflight:succeeded", "source:succeeded", "build:succeeded", "release:succeeded", "start:succeeded", "verify:succeeded", "switch:succeeded", "retire:succeeded",
    ]);
    expect(events.every((e) => e.type !== "failed" && "deploymentId" in e && e.deploymentId === 1)).toBe(true);
  });

  it.each([
    { step: "preflight", fail: "ping", code: "E_INTERNAL" },
    { step: "source", fail: "export", code: "E_INTERNAL" },
    { step: "build", fail: "build", code: "E_BUILD_FAILED" },
    { step: "release", fail: "run", code: "E_RELEASE_FAILED" },
    { step: "start", fail: "up", code: "E_START_FAILED" },
    { step: "verify", fail: "crash", code: "E_HEALTH_TIMEOUT" },
    { step: "switch", fail: "addServer", code: "E_ROUTER_UNAVAILABLE" },
  ])("a failure at $step leaves v1 serving and takes v2 down", async ({ step, fail, code }) => {
    host.fail.set(fail, 1);
    const { error, deploymentId } = await failingDeploy();
    host.fail.clear();
    if (code !== "E_INTERNAL") expect(isSlipwayError(error) && error.code).toBe(code);
    else expect(error).toBeInstanceOf(Error);
    expect(events.find((e) => e.type === "step-finished" && e.outcome === "failed")).toMatchObject({ step, deploymentId });
    expect((await store.deployment(deploymentId))?.status).toBe("failed");
    expect(await liveNumber()).toBe(1);
    expect(running("v1")).toEqual(["web"]);
    expect(running("v2")).toEqual([]);
    expect([...host.containers.values()].filter((c) => c.labels["slipway.release"] === "v2")).toEqual([]);
    expect(served()).toEqual(["v1-web-1"]);
  });

  it("refuses host names while the swarm router serves host names on this host, before anything of v2 starts", async () => {
    const routerDir = homePaths(home).router;
    mkdirSync(routerDir, { recursive: true });
    writeFileSync(join(routerDir, "swarm-routes.json"), JSON.stringify([{ project: "blog", environment: "live", backend: "blog_live_web_80", listen: 0, port: 80, hosts: ["blog.test"] }]));
    const withHosts: ResolvedProject = { ...resolved, classification: { ...resolved.classification, routes: resolved.classification.routes.map((route) => ({ ...route, hosts: ["shop.test"] })) } };
    const error = await deploy(deps(), { ...request("v2tag"), resolved: withHosts }, { wait: true }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isSlipwayError(error) && error.code).toBe("E_NOT_DEPLOYABLE");
    expect((error as Error).message).toContain("the swarm router serves host names on ports 80 and 443 of this host (for blog/live), which the single-host router would need");
    expect(events.find((e) => e.type === "step-finished" && e.outcome === "failed")).toMatchObject({ step: "preflight" });
    expect(running("v2")).toEqual([]);
    expect(served()).toEqual(["v1-web-1"]);
  });

  it("a failure after the switch never takes the new release down", async () => {
    onEvent = (event) => {
      if (event.type === "step-started" && event.step === "retire") host.fail.set("containers", 1);
    };
    const { error, deploymentId } = await failingDeploy();
    expect(error).toBeInstanceOf(Error);
    expect((await store.deployment(deploymentId))?.status).toBe("failed");
    host.fail.clear();
    expect(await liveNumber()).toBe(2);
    expect(running("v2")).toEqual(["web"]);
    expect(served()).toEqual(["v2-web-1"]);
  });

  it.each(["build", "verify"] as const)("a cancellation at %s is recorded cancelled, v1 serving, nothing of v2 left", async (at) => {
    const controller = new AbortController();
    onEvent = (event) => {
      if (event.type === "step-started" && event.step === at) controller.abort(new Error("the user asked"));
    };
    const { error, deploymentId } = await failingDeploy({ signal: controller.signal });
    expect(isSlipwayError(error) && error.code).toBe("E_CANCELLED");
    expect((await store.deployment(deploymentId))?.status).toBe("cancelled");
    expect(await liveNumber()).toBe(1);
    expect(running("v1")).toEqual(["web"]);
    expect([...host.containers.values()].filter((c) => c.labels["slipway.release"] === "v2")).toEqual([]);
    expect(served()).toEqual(["v1-web-1"]);
  });

  it("a cancellation after the switch lets the retire finish: the new release is live", async () => {
    const controller = new AbortController();
    onEvent = (event) => {
      if (event.type === "step-finished" && event.step === "switch") controller.abort(new Error("too late"));
    };
    const { error, deploymentId } = await failingDeploy({ signal: controller.signal });
    expect(error).toBeUndefined();
    expect((await store.deployment(deploymentId))?.status).toBe("succeeded");
    expect(await liveNumber()).toBe(2);
    expect(running("v2")).toEqual(["web"]);
    expect(running("v1")).toEqual([]);
    expect(events.some((e) => e.type === "step-finished" && e.step === "retire" && e.outcome === "succeeded")).toBe(true);
  });

  it("a deployment waiting for the lock is queued, then runs once the holder lets go", async () => {
    const held = await store.acquireLock(1, { description: "another deployment", pid: process.pid, hostname: "this-host" });
    const d = deps();
    const ticket = await queueDeployment(d, request("v2tag"));
    let waited!: () => void;
    const waiting = new Promise<void>((resolve) => (waited = resolve));
    onEvent = (event) => {
      if (event.type === "lock-wait") waited();
    };
    const done = runDeployment(d, ticket, request("v2tag"), { wait: true });
    await waiting;
    expect((await store.deployment(ticket.deploymentId))?.status).toBe("queued");
    expect(events.find((e) => e.type === "lock-wait")).toMatchObject({ deploymentId: ticket.deploymentId, holder: "another deployment" });
    await held.release();
    await done;
    expect((await store.deployment(ticket.deploymentId))?.status).toBe("succeeded");
  });

  it("without waiting, a held lock fails the deployment at once with E_LOCKED and its hint", async () => {
    const held = await store.acquireLock(1, { description: "another deployment", pid: process.pid, hostname: "this-host" });
    const d = deps();
    const ticket = await queueDeployment(d, request("v2tag"));
    const error = await runDeployment(d, ticket, request("v2tag"), { wait: false }).catch((caught: unknown) => caught);
    await held.release();
    expect(isSlipwayError(error) && error.code).toBe("E_LOCKED");
    expect(isSlipwayError(error) && error.hint).toEqual({ action: "wait-for-lock" });
    expect((await store.deployment(ticket.deploymentId))?.status).toBe("failed");
  });

  it("a cancellation while queued behind the lock is recorded cancelled", async () => {
    const held = await store.acquireLock(1, { description: "another deployment", pid: process.pid, hostname: "this-host" });
    const controller = new AbortController();
    onEvent = (event) => {
      if (event.type === "lock-wait") controller.abort(new Error("not any more"));
    };
    const { error, deploymentId } = await failingDeploy({ signal: controller.signal });
    await held.release();
    expect(isSlipwayError(error) && error.code).toBe("E_CANCELLED");
    expect((await store.deployment(deploymentId))?.status).toBe("cancelled");
    expect(await liveNumber()).toBe(1);
  });

  it("what a killed deployment left is reconciled: rows interrupted, its containers and env files gone, its lock free", async () => {
    const pid = await deadPid();
    const d = deps();
    const ticket = await queueDeployment({ ...d, identity: { pid, hostname: "this-host" } }, request("v2tag"));
    await store.acquireLock(1, { description: `deployment ${ticket.deploymentId}`, pid, hostname: "this-host" });
    await store.updateDeployment(ticket.deploymentId, { status: "running" });
    const release = await store.createRelease({ environmentId: 1, number: 2, buildId: 1, kind: "deploy", config: {} });
    await store.updateDeployment(ticket.deploymentId, { releaseId: release.id });
    await store.startStep(ticket.deploymentId, "release");
    // Its release task, still running, and the env file compose had not read yet.
    const labels = { "slipway.project": resolved.project.name, "slipway.environment": "production", "slipway.release": "v2", "slipway.service": "release", "com.docker.compose.project": `${resolved.project.name}-production-v2` };
    host.containers.set("task", { id: "task", name: "task", status: "running", exitCode: 0, restartCount: 0, labels, ports: [] });
    const envFile = join(d.paths.release(resolved.project.name, "production", "v2"), "web.env");
    mkdirSync(join(envFile, ".."), { recursive: true });
    writeFileSync(envFile, "SECRET=1\n");

    const done = await reconcile(d, { project: resolved.project.name, environment: "production", environmentId: 1, dir: resolved.project.dir });
    expect(done.interrupted).toEqual([`deployment ${ticket.deploymentId} (deploy of main) was interrupted during release`]);
    expect(await store.deployment(ticket.deploymentId)).toMatchObject({ status: "interrupted", error: "its process stopped during release" });
    expect((await store.steps(ticket.deploymentId)).map((step) => step.status)).toEqual(["interrupted"]);
    expect((await store.releases(1)).find((r) => r.id === release.id)?.status).toBe("interrupted");
    expect(host.containers.has("task")).toBe(false);
    expect(existsSync(envFile)).toBe(false);
    expect(await store.lock(1)).toBeUndefined();
    // v1 was never touched, and the next deployment runs.
    expect(running("v1")).toEqual(["web"]);
    await deploy(deps(), request("v3tag"), { wait: false });
    expect(await liveNumber()).toBe(3);
  });

  it("a live holder's deployment is never reconciled", async () => {
    const d = deps();
    const ticket = await queueDeployment(d, request("v2tag"));
    await store.updateDeployment(ticket.deploymentId, { status: "running" });
    const done = await reconcile(d, { project: resolved.project.name, environment: "production", environmentId: 1, dir: resolved.project.dir });
    expect(done).toEqual({ interrupted: [], removed: [] });
    expect((await store.deployment(ticket.deploymentId))?.status).toBe("running");
  });
});
