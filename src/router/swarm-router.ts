/**
 * Slipway's router on Docker Swarm: HAProxy as the swarm service `slipway-router` on the node
 * Slipway runs on, on the overlay network `slipway-edge` that every routed release service
 * joins, sending each route to a release's tasks found through Docker's DNS (`tasks.<service>`).
 * Routes with host names share the web frontends, maps and crt-list of the single-host router
 * (render-config.ts), changed at run time the same way (web-runtime.ts, certificate-store.ts).
 *
 * A switch is runtime API only (see swarm-switch.ts): never a reload, never a service update.
 * What does need more than the runtime API, only ever in `ensureSwarmRouter`, never at a switch:
 * - a route's listen port added or gone, the image, the node: the service's spec changes, and
 *   the engine replaces the task (HAProxy restarts; a host-mode port cannot be handed over);
 * - a slot count or a service port changed on the same listen ports: a seamless reload (SIGUSR2
 *   to the task's master). The old worker's `show servers state` is written to the server-state
 *   file just before, so the new worker starts with the slots as they were (name, address,
 *   state), then the file goes again: a later restart starts from the config's live groups.
 */
import type Docker from "dockerode";
import { join, resolve } from "node:path";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { privateDir, writePrivateFile } from "../core/private-files.js";
import { checkConfig, IN_CONTAINER, type RouterContainerSpec } from "./router-container.js";
import { RouterError } from "./router-error.js";
import { parseInfo } from "./runtime-api.js";
import { swarmRouter, type SwarmRouter, type SwarmRouterOptions } from "./swarm-router-handle.js";
import { ensureDefaultCertificate, installedCertificates } from "./certificate-files.js";
import { certificateStore, type CertificateRouter } from "./certificate-store.js";
import { publishedPorts, renderSwarmRouterConfig, renderSwarmWebFiles, SERVER_STATE_FILE, servesWebRoutes, withoutSlots, type SwarmRoute } from "./swarm-router-config.js";
import { syncWebFiles, writeWebFiles } from "./web-runtime.js";
import { SPEC_LABEL, specHash, swarmRouterServiceSpec } from "./swarm-router-service.js";

export { DEFAULT_EDGE_NETWORK, DEFAULT_SWARM_ROUTER, swarmRouter, type SwarmRouter, type SwarmRouterOptions } from "./swarm-router-handle.js";
export type { SwarmRoute, SwarmRouteLive, SlotGroup } from "./swarm-router-config.js";
export { readSwarmRoute, switchSwarmRoute, type SwarmRouteState, type SwarmSlot, type SwitchTarget } from "./swarm-switch.js";

export interface SwarmRouterInfo {
  readonly taskId: string;
  readonly containerId: string;
  /** The HAProxy worker's pid: a reload changes it. */
  readonly pid: number;
  readonly uptimeSeconds: number;
}

export interface EnsureSwarmOutcome {
  readonly router: SwarmRouter;
  /** What it took: nothing, a new service, a seamless reload, or a service update (task replaced). */
  readonly change: "none" | "created" | "reloaded" | "updated";
}

export const ROUTES_FILE = "routes.json";
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

/**
 * Router service running with a config for exactly these routes (and their live releases).
 * Creates the network and the service if absent; leaves an unchanged one alone (no restart);
 * reloads or updates it as the module comment says when the routes changed.
 */
export async function ensureSwarmRouter(options: SwarmRouterOptions, routes: readonly SwarmRoute[]): Promise<EnsureSwarmOutcome> {
  const router = swarmRouter(options);
  const config = renderSwarmRouterConfig({ routes, adminSocket: IN_CONTAINER.socket, configDir: IN_CONTAINER.configDir, web: router.web }); // bad routes fail here
  const home = resolve(options.home);
  const runDir = join(home, "run");
  privateDir(router.etcDir);
  privateDir(runDir);
  const labels = options.labels ?? {};
  await router.services.ensureOverlay(router.network, { ...labels, "slipway.managed": "true", "slipway.role": "edge" });
  const spec = swarmRouterServiceSpec({
    name: router.name,
    image: options.image ?? "haproxy:2.6",
    nodeId: await router.services.localNodeId(),
    network: router.network,
    etcDir: router.etcDir,
    runDir,
    ports: publishedPorts(routes, router.web),
    labels,
  });
  const checker: RouterContainerSpec = { docker: options.docker, name: `${router.name}-check`, image: options.image ?? "haproxy:2.6", etcDir: router.etcDir, runDir, labels };
  const current = await router.services.inspectService(router.name);
  const onDisk = readText(join(router.etcDir, "haproxy.cfg"));
  // Hosts, redirects and certificates: maps and a crt-list beside the config, as on one host.
  const web = servesWebRoutes(routes) ? renderSwarmWebFiles(routes, installedCertificates(router.etcDir), router.web) : undefined;
  if (web !== undefined) await ensureDefaultCertificate(router.etcDir);
  const write = (): void => {
    writePrivateFile(join(router.etcDir, "haproxy.cfg"), config);
    writePrivateFile(join(router.etcDir, ROUTES_FILE), `${JSON.stringify(routes, null, 2)}\n`);
  };
  if (current !== undefined && current.labels[SPEC_LABEL] === specHash(spec)) {
    if (onDisk !== undefined && withoutSlots(onDisk) === withoutSlots(config)) {
      // Slots only: the running HAProxy has them at run time; hosts change in its maps.
      if (web !== undefined) await syncWebFiles(router.etcDir, router.command, web);
      write();
      return { router, change: "none" };
    }
    if (web !== undefined) writeWebFiles(router.etcDir, web); // read by the new worker
    await install(checker, config);
    write();
    await reload(router, options.docker);
    return { router, change: "reloaded" };
  }
  if (web !== undefined) writeWebFiles(router.etcDir, web);
  await install(checker, config);
  write();
  // A new task starts from the live groups of the file, never from an older process's slots.
  rmSync(join(router.etcDir, SERVER_STATE_FILE), { force: true });
  const before = current === undefined ? undefined : await runningTask(router);
  if (current === undefined) await router.services.createService(spec);
  else await router.services.updateService(current, spec);
  await waitForRouter(router, (task) => task.id !== before?.id);
  return { router, change: current === undefined ? "created" : "updated" };
}

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** `haproxy -c` on the new file before the router may read it. */
async function install(checker: RouterContainerSpec, config: string): Promise<void> {
  writePrivateFile(join(checker.etcDir, "haproxy.cfg.next"), config);
  await checkConfig(checker, "haproxy.cfg.next");
}

async function runningTask(router: SwarmRouter): Promise<{ id: string; containerId: string } | undefined> {
  const task = (await router.services.tasks(router.name)).find((t) => t.state === "running" && t.desiredState === "running" && t.containerId !== undefined);
  return task === undefined ? undefined : { id: task.id, containerId: task.containerId ?? "" };
}

async function workerPid(router: SwarmRouter): Promise<number | undefined> {
  try {
    return Number(parseInfo(await router.command("show info")).Pid);
  } catch {
    return undefined; // not up yet, or between workers
  }
}

/** Waits until a task that `accept`s runs and its HAProxy answers on the socket three times in a row. */
async function waitForRouter(router: SwarmRouter, accept: (task: { id: string }) => boolean): Promise<void> {
  const deadline = router.clock.now() + START_TIMEOUT_MS;
  let streak = 0;
  while (router.clock.now() < deadline) {
    const task = await runningTask(router);
    streak = task !== undefined && accept(task) && (await workerPid(router)) !== undefined ? streak + 1 : 0;
    if (streak === 3) return;
    await router.clock.sleep(POLL_MS);
  }
  const errors = (await router.services.tasks(router.name)).map((t) => `${t.state}${t.error ? `: ${t.error}` : ""}`);
  throw new RouterError("E_ROUTER_UNAVAILABLE", `the router service ${router.name} did not come up with HAProxy answering on ${router.socket} (tasks: ${errors.join("; ") || "none"}): is a route's port taken on this node?`);
}

/** Seamless reload: SIGUSR2 to the task's container, forwarded by its init to HAProxy's master. */
async function reload(router: SwarmRouter, docker: () => Promise<Docker>): Promise<void> {
  const task = await runningTask(router);
  if (task === undefined) throw new RouterError("E_ROUTER_UNAVAILABLE", `the router service ${router.name} has no running task to reload`);
  const before = await workerPid(router);
  const stateFile = join(router.etcDir, SERVER_STATE_FILE);
  writePrivateFile(stateFile, await router.command("show servers state"));
  try {
    await (await docker()).getContainer(task.containerId).kill({ signal: "SIGUSR2" });
    await waitForWorker(router, before);
  } finally {
    rmSync(stateFile, { force: true });
  }
}

async function waitForWorker(router: SwarmRouter, before: number | undefined): Promise<void> {
  const deadline = router.clock.now() + START_TIMEOUT_MS;
  let streak = 0;
  while (streak < 3) {
    if (router.clock.now() >= deadline) throw new RouterError("E_ROUTER_TIMEOUT", `HAProxy did not take the new config (worker ${before ?? "?"} still serves)`);
    const pid = await workerPid(router);
    streak = pid !== undefined && pid !== before ? streak + 1 : 0;
    await router.clock.sleep(POLL_MS);
  }
}

/** The router's certificates and ACME challenges (see certificate-store.ts). */
export function swarmRouterCertificates(options: SwarmRouterOptions): CertificateRouter {
  const router = swarmRouter(options);
  return certificateStore({
    etcDir: router.etcDir,
    command: router.command,
    // A removed service's tasks are a 404 to ask for: whether it is there comes first.
    servesWeb: async () =>
      (readText(join(router.etcDir, "haproxy.cfg")) ?? "").includes("\nfrontend web-https\n") && (await router.services.inspectService(router.name)) !== undefined && (await runningTask(router)) !== undefined,
  });
}

export async function swarmRouterInfo(router: SwarmRouter): Promise<SwarmRouterInfo> {
  const task = await runningTask(router);
  if (task === undefined) throw new RouterError("E_ROUTER_UNAVAILABLE", `the router service ${router.name} has no running task: run ensureSwarmRouter`);
  const info = parseInfo(await router.command("show info"));
  return { taskId: task.id, containerId: task.containerId, pid: Number(info.Pid), uptimeSeconds: Number(info.Uptime_sec) };
}

/**
 * Removes the router service, then its network once no task holds it any more. A network still
 * joined by release services stays (they are removed with their stacks): resolves false then.
 */
export async function removeSwarmRouter(options: SwarmRouterOptions, timeoutMs = 30_000): Promise<boolean> {
  const router = swarmRouter(options);
  await router.services.removeService(router.name);
  const deadline = router.clock.now() + timeoutMs;
  for (;;) {
    if (await router.services.removeNetwork(router.network)) return true;
    if (router.clock.now() >= deadline) return false;
    await router.clock.sleep(250); // the task's container goes a moment after its service
  }
}
