/**
 * The router against the real engine and the real HAProxy 2.6 image: a throwaway router
 * container (its own name, free ports) in front of two busybox backends that answer "A" and "B".
 */
import type Docker from "dockerode";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker } from "../../src/adapters/docker-engine.js";
import { isRouterError } from "../../src/router/router-error.js";
import { createRouter, type Router, type RouterRoute } from "../../src/router/router.js";
import { freePort, get, loadLoop, removeLabelled, startBackend, TEST_LABEL, waitFor200, type Backend } from "../support/router-backends.js";

describe("router: HAProxy in Docker", () => {
  const name = `slipway-router-test-${Math.random().toString(36).slice(2, 8)}`;
  const web = "app_test_web_80";
  let docker: Docker;
  let home: string;
  let router: Router;
  let port: number;
  let a: Backend;
  let b: Backend;
  let routes: RouterRoute[];

  beforeAll(async () => {
    docker = await connectDocker();
    home = mkdtempSync(join(tmpdir(), "slipway-router-"));
    port = await freePort();
    routes = [{ backend: web, listen: port, hosts: [] }];
    [a, b] = await Promise.all([startBackend(docker, "A"), startBackend(docker, "B")]);
    router = createRouter({ docker: () => Promise.resolve(docker), home, containerName: name, labels: TEST_LABEL });
  });

  afterAll(async () => {
    await router?.remove();
    if (docker) await removeLabelled(docker);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const names = async (backend = web): Promise<string[]> => (await router.servers(backend)).map((s) => `${s.name}:${s.state}`);
  const bodies = async (count: number): Promise<string[]> => {
    const replies = [];
    for (let i = 0; i < count; i++) replies.push(await get(port));
    return [...new Set(replies.map((r) => `${r.status} ${r.body}`))];
  };

  it("creates the router, which answers 503 while the backend has no server", async () => {
    expect(await router.ensure(routes)).toEqual({ created: true, reloaded: false });
    const inspect = await docker.getContainer(name).inspect();
    expect(inspect.HostConfig.NetworkMode).toBe("host");
    expect(inspect.HostConfig.RestartPolicy?.Name).toBe("unless-stopped");
    expect(inspect.Config.Labels).toMatchObject({ "slipway.managed": "true", "slipway.role": "router", ...TEST_LABEL });
    expect((await get(port)).status).toBe(503);
    expect(await router.servers(web)).toEqual([]);
  });

  it("routes to A once A is added, and adding it again changes nothing", async () => {
    await router.addServer(web, "v1-web-1", a.address);
    await router.addServer(web, "v1-web-1", a.address);
    expect(await bodies(5)).toEqual(["200 A"]);
    expect(await router.servers(web)).toEqual([{ name: "v1-web-1", address: a.address, state: "ready", sessions: 0 }]);
  });

  it("refuses the same server name at another address", async () => {
    await expect(router.addServer(web, "v1-web-1", b.address)).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_COMMAND"));
    await expect(router.servers("no_such_backend")).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_COMMAND"));
  });

  it("sends everything to B once B is added and A drained, then removes A", async () => {
    await router.addServer(web, "v2-web-1", b.address);
    await router.drainServer(web, "v1-web-1");
    expect(await names()).toEqual(["v1-web-1:drain", "v2-web-1:ready"]);
    expect(await bodies(10)).toEqual(["200 B"]);
    await router.removeServer(web, "v1-web-1", { timeoutMs: 5000 });
    await router.removeServer(web, "v1-web-1"); // already gone: done
    expect(await names()).toEqual(["v2-web-1:ready"]);
  });

  it("does not reload for the same routes: the worker keeps its pid", async () => {
    const before = await router.info();
    expect(await router.ensure([...routes])).toEqual({ created: false, reloaded: false });
    const after = await router.info();
    expect(after.containerId).toBe(before.containerId);
    expect(after.pid).toBe(before.pid);
    expect(after.uptimeSeconds).toBeGreaterThanOrEqual(before.uptimeSeconds);
  });

  it("reloads for a new route, with a new worker that keeps the servers", async () => {
    const before = await router.info();
    const apiPort = await freePort();
    routes = [...routes, { backend: "app_test_api_80", listen: apiPort, hosts: [] }];
    expect(await router.ensure(routes)).toEqual({ created: false, reloaded: true });
    const after = await router.info();
    expect(after.containerId).toBe(before.containerId);
    expect(after.pid).not.toBe(before.pid);
    expect(await names()).toEqual(["v2-web-1:ready"]);
    expect(await bodies(5)).toEqual(["200 B"]);
    expect((await get(apiPort)).status).toBe(503);
    // The file on disk lists the routes' own servers (none given here), not the carried ones.
    expect(readFileSync(join(home, "etc", "haproxy.cfg"), "utf8")).not.toMatch(/^\s*server /m);
  });

  it("writes the servers into the file HAProxy starts from, without a reload", async () => {
    const before = await router.info();
    const served = routes.map((r) => (r.backend === web ? { ...r, servers: [{ name: "v2-web-1", address: b.address, enabled: true }] } : r));
    router.persist(served);
    expect(readFileSync(join(home, "etc", "haproxy.cfg"), "utf8")).toMatch(new RegExp(`^    server v2-web-1 ${b.address} `, "m"));
    expect((await router.info()).pid).toBe(before.pid);
    expect(await router.ensure(served)).toEqual({ created: false, reloaded: false });
    // Routes it does not run yet: refused, the file untouched.
    expect(() => router.persist([...served, { backend: "app_test_new_80", listen: port, hosts: ["new.test"] }])).toThrow(/ensure\(\) them/);
  });

  it("answers from the file's servers again after docker restart, with nothing re-added", async () => {
    const served = routes.map((r) => (r.backend === web ? { ...r, servers: [{ name: "v2-web-1", address: b.address, enabled: true }] } : r));
    router.persist(served);
    await docker.getContainer(name).restart({ t: 10 });
    await waitFor200(port);
    expect(await names()).toEqual(["v2-web-1:ready"]);
    expect(await bodies(5)).toEqual(["200 B"]);
  });

  it("switches B to A under keep-alive load with zero failed requests", async () => {
    const load = loadLoop({ port, concurrency: 20, durationMs: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await router.addServer(web, "v3-web-1", a.address);
    await router.drainServer(web, "v2-web-1");
    await router.removeServer(web, "v2-web-1", { timeoutMs: 10_000 });
    const result = await load;
    expect(result.errors.slice(0, 5)).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.ok).toBeGreaterThan(100);
    expect(Object.keys(result.bodies).sort()).toEqual(["A", "B"]);
    expect(await names()).toEqual(["v3-web-1:ready"]);
  });

  it("keeps its connection to a server added at run time for the next requests, and still removes it at once", async () => {
    const api = routes.find((r) => r.backend === "app_test_api_80") as RouterRoute;
    let connections = 0;
    const app = createServer((_req, res) => res.end("C")).on("connection", () => connections++);
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await router.addServer(api.backend, "v1-api-1", `127.0.0.1:${(app.address() as AddressInfo).port}`);
      for (let i = 0; i < 10; i++) expect(await get(api.listen, { agent })).toEqual({ status: 200, body: "C" });
      expect(connections).toBe(1); // not one connect per request
      // Its idle connection goes with maintenance: removal need not wait for it.
      const started = Date.now();
      await router.removeServer(api.backend, "v1-api-1", { timeoutMs: 5000 });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await router.servers(api.backend)).toEqual([]);
    } finally {
      agent.destroy();
      app.closeAllConnections();
      app.close();
    }
  });

  it("recreates a router container removed by hand, with the routes' servers", async () => {
    await docker.getContainer(name).remove({ force: true });
    await expect(router.info()).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_UNAVAILABLE"));
    const served = routes.map((r) => (r.backend === web ? { ...r, servers: [{ name: "v3-web-1", address: a.address, enabled: true }] } : r));
    expect(await router.ensure(served)).toEqual({ created: true, reloaded: false });
    expect(await names()).toEqual(["v3-web-1:ready"]);
    await router.addServer(web, "v3-web-1", a.address); // already there: nothing to do
    expect(await bodies(3)).toEqual(["200 A"]);
  });

  it("rejects routes HAProxy could not serve before touching the router", async () => {
    const before = await router.info();
    const clash = [...routes, { backend: "other", listen: port, hosts: [] }];
    await expect(router.ensure(clash)).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_CONFIG"));
    expect((await router.info()).pid).toBe(before.pid);
  });

  it("says the router is unavailable when its image is missing and cannot be pulled", async () => {
    const other = createRouter({ docker: () => Promise.resolve(docker), home: join(home, "other"), containerName: `${name}-x`, image: "slipway-test/no-such-image:never", labels: TEST_LABEL });
    await expect(other.ensure(routes)).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_UNAVAILABLE"));
    await expect(docker.getContainer(`${name}-x`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
