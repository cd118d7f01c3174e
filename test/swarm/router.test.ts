/**
 * The router on the 3-node swarm: HAProxy as a swarm service on the manager, switching a route
 * between two releases' services (2 tasks each, on two nodes, found through Docker's DNS) by
 * runtime API only, under keep-alive load that never retries: 0 failed requests, and the same
 * HAProxy task and worker afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, copyFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker } from "../../src/adapters/docker-engine.js";
import { runCommand } from "../../src/adapters/run-command.js";
import { isRouterError } from "../../src/router/router-error.js";
import { ensureSwarmRouter, readSwarmRoute, removeSwarmRouter, swarmRouterInfo, switchSwarmRoute, type SwarmRouter, type SwarmRouterOptions } from "../../src/router/swarm-router.js";
import { report } from "../support/report.js";
import { startRequestLoad, type RequestLoadResult } from "../support/load.js";
import { startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";

const PORT = 18_480;
const RELEASES = ["v1", "v2"] as const;
const service = (release: string): string => `rtest-${release}_web`;

const docker = async (args: readonly string[]): Promise<string> => {
  const result = await runCommand("docker", args, { timeoutMs: 120_000 });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
};

const get = (): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: PORT, path: "/", agent: false, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });

const answers = async (count: number): Promise<string[]> => {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) bodies.push((await get()).body);
  return [...new Set(bodies)].sort();
};

/** A busybox httpd image FROM scratch answering its release name, with a HEALTHCHECK (a task enters DNS once healthy). */
async function buildRelease(dir: string, image: string, release: string): Promise<void> {
  mkdirSync(join(dir, "www"), { recursive: true });
  copyFileSync("/bin/busybox", join(dir, "busybox"));
  writeFileSync(join(dir, "www", "index.html"), `${release}\n`);
  writeFileSync(
    join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/busybox",
      "COPY www /www",
      'HEALTHCHECK --interval=1s --timeout=1s --retries=3 CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8000/"]',
      'CMD ["/bin/busybox", "httpd", "-f", "-p", "8000", "-h", "/www"]',
      "",
    ].join("\n"),
  );
  await docker(["build", "-q", "--label", "slipway.test=swarm", "-t", image, dir]);
  await docker(["push", "-q", image]);
}

async function waitRunning(name: string, replicas: number): Promise<string[]> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const lines = (await docker(["service", "ps", name, "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}"])).split("\n");
    const nodes = lines.filter((line) => line.includes(" Running ")).map((line) => line.split(" ")[0] ?? "");
    if (nodes.length === replicas) return nodes;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name}: ${replicas} tasks not running in time`);
}

/** Keep-alive load through the router around `action`, for a second before and after it. */
async function underLoad<T>(action: () => Promise<T>): Promise<{ result: T; load: RequestLoadResult; ms: number }> {
  const load = startRequestLoad({ port: PORT, connections: 32 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const started = Date.now();
  const result = await action();
  const ms = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { result, load: await load.stop(), ms };
}

describe("the router on a swarm", () => {
  let swarm: TestSwarm;
  let root: string;
  let options: SwarmRouterOptions;
  let router: SwarmRouter;
  const images: string[] = [];

  beforeAll(async () => {
    swarm = await startSwarm();
    root = mkdtempSync(join(tmpdir(), "slw-rt-"));
    options = { docker: () => connectDocker(), home: join(root, "router"), name: "slipway-test-router", labels: { "slipway.test": "swarm" } };
    const ensured = await ensureSwarmRouter(options, [{ backend: "web", listen: PORT, port: 8000 }]);
    expect(ensured.change).toBe("created");
    router = ensured.router;
    for (const release of RELEASES) {
      const image = `${swarm.registry}/slipway-test/router-web:${release}`;
      images.push(image);
      await buildRelease(join(root, release), image, release);
      await docker(["service", "create", "--detach", "--quiet", "--name", service(release), "--label", "slipway.test=swarm", "--replicas", "2", "--replicas-max-per-node", "1", "--endpoint-mode", "dnsrr", "--network", router.network, "--init", "--stop-grace-period", "1s", image]);
    }
    for (const release of RELEASES) expect(new Set(await waitRunning(service(release), 2)).size).toBe(2);
  });

  afterAll(async () => {
    for (const release of RELEASES) await runCommand("docker", ["service", "rm", service(release)]);
    if (options !== undefined) await removeSwarmRouter(options).catch(() => false);
    for (const image of images) await runCommand("docker", ["image", "rm", "-f", image]);
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("leaves an unchanged router service alone", async () => {
    const before = await swarmRouterInfo(router);
    expect((await ensureSwarmRouter(options, [{ backend: "web", listen: PORT, port: 8000 }])).change).toBe("none");
    expect(await swarmRouterInfo(router)).toMatchObject({ taskId: before.taskId, containerId: before.containerId, pid: before.pid });
  });

  it("routes to v1's tasks: every answer says v1", async () => {
    const started = Date.now();
    const state = await switchSwarmRoute(router, "web", { service: service("v1"), port: 8000, expected: 2, readyTimeoutMs: 15_000 });
    report(`first route to v1: ${Date.now() - started} ms`);
    expect(state.live).toEqual({ group: "a", service: service("v1") });
    expect(state.slots.filter((s) => s.group === "a" && s.up && s.address !== undefined)).toHaveLength(2);
    expect(await answers(30)).toEqual(["v1"]);
  });

  it("switches to v2 under keep-alive load with 0 failed requests, without restarting HAProxy", async () => {
    const before = await swarmRouterInfo(router);
    const { result, load, ms } = await underLoad(() => switchSwarmRoute(router, "web", { service: service("v2"), port: 8000, expected: 2 }));
    report(`switch v1 -> v2: ${ms} ms, ${load.ok} ok, statuses ${JSON.stringify(load.statuses)}, errors ${JSON.stringify(load.errors)}`);
    expect(load).toMatchObject({ statuses: {}, errors: {}, refused: 0, lostInFlight: 0 });
    expect(load.ok).toBeGreaterThan(100);
    expect(result.live).toEqual({ group: "b", service: service("v2") });
    // Both v2 tasks (one per node) hold a slot, UP.
    expect(new Set(result.slots.filter((s) => s.group === "b" && s.up && s.address !== undefined).map((s) => s.address)).size).toBe(2);
    expect(result.slots.filter((s) => s.group === "a" && (s.state !== "maint" || s.address !== undefined))).toEqual([]);
    expect(await answers(30)).toEqual(["v2"]);
    expect(await swarmRouterInfo(router)).toMatchObject({ taskId: before.taskId, containerId: before.containerId, pid: before.pid });
  });

  it("switches back to v1 under load with 0 failed requests", async () => {
    const before = await swarmRouterInfo(router);
    const { result, load, ms } = await underLoad(() => switchSwarmRoute(router, "web", { service: service("v1"), port: 8000, expected: 2 }));
    report(`switch v2 -> v1: ${ms} ms, ${load.ok} ok, statuses ${JSON.stringify(load.statuses)}, errors ${JSON.stringify(load.errors)}`);
    expect(load).toMatchObject({ statuses: {}, errors: {}, refused: 0, lostInFlight: 0 });
    expect(result.live).toEqual({ group: "a", service: service("v1") });
    expect(await answers(30)).toEqual(["v1"]);
    expect((await readSwarmRoute(router, "web")).live).toEqual({ group: "a", service: service("v1") });
    expect(await swarmRouterInfo(router)).toMatchObject({ taskId: before.taskId, containerId: before.containerId, pid: before.pid });
  });

  it("switches nothing when the next release's tasks never become ready: v1 keeps serving", async () => {
    let error: unknown;
    const { load } = await underLoad(() => switchSwarmRoute(router, "web", { service: "rtest-missing_web", port: 8000, expected: 2, readyTimeoutMs: 3000 }).catch((caught: unknown) => (error = caught)));
    expect(isRouterError(error, "E_ROUTER_TIMEOUT")).toBe(true);
    expect(load).toMatchObject({ statuses: {}, errors: {}, refused: 0, lostInFlight: 0 });
    const state = await readSwarmRoute(router, "web");
    expect(state.live).toEqual({ group: "a", service: service("v1") });
    expect(state.slots.filter((s) => s.group === "b").every((s) => s.state === "maint" && s.fqdn === "idle.slipway.invalid")).toBe(true);
    expect(await answers(10)).toEqual(["v1"]);
  });

  it("takes another slot count by a seamless reload that keeps the slots (same task, new worker)", async () => {
    const before = await swarmRouterInfo(router);
    const routes = [{ backend: "web", listen: PORT, port: 8000, slots: 6, live: { group: "a", service: service("v1") } } as const];
    const { result, load, ms } = await underLoad(() => ensureSwarmRouter(options, routes));
    report(`reload for a slot count: ${ms} ms, ${load.ok} ok, statuses ${JSON.stringify(load.statuses)}, errors ${JSON.stringify(load.errors)}`);
    expect(result.change).toBe("reloaded");
    const after = await swarmRouterInfo(router);
    expect(after.taskId).toBe(before.taskId);
    expect(after.pid).not.toBe(before.pid);
    const state = await readSwarmRoute(router, "web");
    expect(state.slots).toHaveLength(12);
    expect(state.live).toEqual({ group: "a", service: service("v1") });
    expect(load).toMatchObject({ statuses: {}, errors: {}, refused: 0, lostInFlight: 0 });
    expect(await answers(10)).toEqual(["v1"]);
  });

  it("takes a new route port by a service update (outside any switch), the new task starting with the live release", async () => {
    const before = await swarmRouterInfo(router);
    const routes = [
      { backend: "web", listen: PORT, port: 8000, live: { group: "a", service: service("v1") } } as const,
      { backend: "other", listen: PORT + 1, port: 8000 },
    ];
    const started = Date.now();
    expect((await ensureSwarmRouter(options, routes)).change).toBe("updated");
    const after = await swarmRouterInfo(router);
    expect(after.taskId).not.toBe(before.taskId);
    // The new HAProxy resolves v1's tasks from its file, with no switch.
    const deadline = Date.now() + 30_000;
    let bodies: string[] = [];
    while (Date.now() < deadline) {
      bodies = await answers(5).catch(() => []);
      if (bodies.length === 1 && bodies[0] === "v1") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    report(`service update for a new port: ${Date.now() - started} ms until v1 answered again`);
    expect(bodies).toEqual(["v1"]);
    expect((await readSwarmRoute(router, "web")).live).toEqual({ group: "a", service: service("v1") });
  });

  it("removes the router service and the edge network", async () => {
    for (const release of RELEASES) await docker(["service", "rm", service(release)]);
    expect(await removeSwarmRouter(options)).toBe(true);
    expect((await runCommand("docker", ["service", "inspect", options.name ?? ""])).exitCode).not.toBe(0);
    // The manager accepts the removal at once; its own copy of the network goes a moment later.
    const deadline = Date.now() + 15_000;
    let inspect = await runCommand("docker", ["network", "inspect", "--format", "{{.Name}} {{.Scope}} {{len .Containers}}", router.network]);
    while (inspect.exitCode === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      inspect = await runCommand("docker", ["network", "inspect", "--format", "{{.Name}} {{.Scope}} {{len .Containers}}", router.network]);
    }
    expect(inspect.stdout.trim()).toBe("");
  });
});
