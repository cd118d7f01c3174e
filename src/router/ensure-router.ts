/**
 * Router running with the config for a set of routes: create the container, or reload it
 * when the routes changed, or do nothing.
 *
 * The file on disk is what HAProxy starts from, after a `docker restart`, a crash, a reboot or a
 * restart of dockerd: it lists every route with the servers that serve it, and is written again
 * (without a reload) whenever those servers change, so that HAProxy answers with the live
 * release's containers as soon as it is up, with no Slipway command. Their addresses stay right
 * across restarts: Slipway chose their host ports and wrote them into the release's compose file.
 *
 * A reload keeps the servers. HAProxy forgets servers added at run time when it reloads (its
 * manual: "A dynamic server not present in the configuration won't be restored after a reload
 * operation"), so the file handed to the reload lists the live servers of the old worker, draining
 * ones disabled, and the new worker starts with them: no request meets an empty backend. Once the
 * new worker serves, the file goes back to the routes' own servers.
 */
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../core/clock.js";
import { privateDir, writePrivateFile } from "../core/private-files.js";
import { joinAddress } from "./names.js";
import { ensureDefaultCertificate, installedCertificates } from "./certificate-files.js";
import { renderRouterConfig, renderWebFiles, routesPart, servesWeb, type RouterConfigServer, type RouterRoute, type RouterState, type WebPorts } from "./render-config.js";
import { checkConfig, createRouterContainer, ensureImage, IN_CONTAINER, inspectRouter, removeRouter, routerLogs, signalReload, type RouterContainerSpec } from "./router-container.js";
import { RouterError } from "./router-error.js";
import { adminState, parseInfo, parseServersState, type RuntimeOptions } from "./runtime-api.js";
import { syncWebFiles, writeWebFiles } from "./web-runtime.js";

export interface RouterContext {
  readonly spec: RouterContainerSpec;
  readonly web: WebPorts;
  readonly clock: Clock;
  readonly adminSocketUid?: number;
  /** One runtime-API command on the admin socket. */
  command(command: string, options?: RuntimeOptions): Promise<string>;
}

export interface EnsureOptions {
  /** Serve the web ports even if no route has host names yet (see RouterState.serveWeb). */
  readonly serveWeb?: boolean;
}

export interface EnsureOutcome {
  readonly created: boolean;
  readonly reloaded: boolean;
}

const START_TIMEOUT_MS = 15_000;
const RELOAD_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

const stateOf = (ctx: RouterContext, routes: readonly RouterRoute[], options: EnsureOptions = {}): RouterState => ({
  routes,
  adminSocket: IN_CONTAINER.socket,
  web: ctx.web,
  certificates: installedCertificates(ctx.spec.etcDir),
  ...(options.serveWeb ? { serveWeb: true } : {}),
  ...(ctx.adminSocketUid ? { adminSocketUid: ctx.adminSocketUid } : {}),
});

export async function ensureRouter(ctx: RouterContext, routes: readonly RouterRoute[], options: EnsureOptions = {}): Promise<EnsureOutcome> {
  const state = stateOf(ctx, routes, options);
  const desired = renderRouterConfig(state); // bad routes fail here, before anything changes
  const files = renderWebFiles(state);
  // The owner's alone: HAProxy reads them as root in its container.
  privateDir(ctx.spec.etcDir);
  privateDir(ctx.spec.runDir);
  const web = servesWeb(state);
  if (web) await ensureDefaultCertificate(ctx.spec.etcDir);
  const container = await inspectRouter(ctx.spec);
  if (!container?.running) {
    writeWebFiles(ctx.spec.etcDir, files);
    await create(ctx, desired);
    return { created: true, reloaded: false };
  }
  const current = readConfig(ctx);
  if (current !== undefined && routesPart(current) === routesPart(desired)) {
    // Hosts and certificates change in the maps of the running HAProxy: no reload.
    if (web) await syncWebFiles(ctx.spec.etcDir, (line, options) => ctx.command(line, options), files);
    else writeWebFiles(ctx.spec.etcDir, files);
    if (current !== desired) writeAtomically(ctx, "haproxy.cfg", desired);
    return { created: false, reloaded: false };
  }
  const live = await liveServers(ctx);
  writeWebFiles(ctx.spec.etcDir, files); // read by the new worker
  await reload(ctx, renderRouterConfig({ ...state, routes: routes.map((route) => ({ ...route, servers: live[route.backend] ?? [] })) }));
  writeAtomically(ctx, "haproxy.cfg", desired);
  return { created: false, reloaded: true };
}

/**
 * Writes the routes' servers into the file HAProxy starts from, without a reload: the running
 * HAProxy has them already (added at run time). Only for the routes it runs with; their part of
 * the file was checked by `haproxy -c` when it was installed, and server lines are checked names
 * and addresses.
 */
export function persistServers(ctx: RouterContext, routes: readonly RouterRoute[]): void {
  const desired = renderRouterConfig(stateOf(ctx, routes));
  const current = readConfig(ctx);
  if (current === desired) return;
  if (current === undefined || routesPart(current) !== routesPart(desired)) {
    throw new RouterError("E_ROUTER_CONFIG", "the router does not run these routes yet: ensure() them before writing their servers");
  }
  writeAtomically(ctx, "haproxy.cfg", desired);
}

const configPath = (ctx: RouterContext, name = "haproxy.cfg"): string => join(ctx.spec.etcDir, name);

function readConfig(ctx: RouterContext, name = "haproxy.cfg"): string | undefined {
  return existsSync(configPath(ctx, name)) ? readFileSync(configPath(ctx, name), "utf8") : undefined;
}

function writeAtomically(ctx: RouterContext, name: string, text: string): void {
  writePrivateFile(configPath(ctx, name), text);
}

/** Writes the config as haproxy.cfg only once `haproxy -c` accepted it. */
async function install(ctx: RouterContext, text: string): Promise<void> {
  writeAtomically(ctx, "haproxy.cfg.next", text);
  await checkConfig(ctx.spec, "haproxy.cfg.next");
  renameSync(configPath(ctx, "haproxy.cfg.next"), configPath(ctx));
}

async function create(ctx: RouterContext, config: string): Promise<void> {
  await ensureImage(ctx.spec);
  await install(ctx, config);
  await createRouterContainer(ctx.spec);
  const pid = await waitForWorker(ctx, START_TIMEOUT_MS, () => true);
  if (pid === undefined) {
    const logs = await routerLogs(ctx.spec);
    await removeRouter(ctx.spec); // not left restarting in a loop on a port it cannot bind
    throw new RouterError("E_ROUTER_UNAVAILABLE", `the router container ${ctx.spec.name} started but HAProxy does not answer on its admin socket (a listen port taken by another program?). Its last lines:\n${logs.join("\n")}`);
  }
}

async function reload(ctx: RouterContext, config: string): Promise<void> {
  const before = await workerPid(ctx);
  const previous = readConfig(ctx);
  await install(ctx, config);
  await signalReload(ctx.spec);
  if ((await waitForWorker(ctx, RELOAD_TIMEOUT_MS, (pid) => pid !== before)) === undefined) {
    // The old worker still serves; the old file goes back so the next ensure() tries again.
    if (previous !== undefined) writeAtomically(ctx, "haproxy.cfg", previous);
    const logs = await routerLogs(ctx.spec);
    throw new RouterError("E_ROUTER_TIMEOUT", `HAProxy did not take the new config (worker ${before} still serves). Its last lines:\n${logs.join("\n")}`);
  }
}

async function workerPid(ctx: RouterContext): Promise<number | undefined> {
  try {
    return Number(parseInfo(await ctx.command("show info")).Pid);
  } catch {
    return undefined; // not up yet, or between workers
  }
}

/**
 * Waits until the socket is answered by a worker that `accept`s, three times in a row: during a
 * reload the old worker may still take a connection or two until it gets its stop signal.
 */
async function waitForWorker(ctx: RouterContext, timeoutMs: number, accept: (pid: number) => boolean): Promise<number | undefined> {
  const deadline = ctx.clock.now() + timeoutMs;
  let streak = 0;
  while (ctx.clock.now() < deadline) {
    const pid = await workerPid(ctx);
    streak = pid !== undefined && accept(pid) ? streak + 1 : 0;
    if (pid !== undefined && streak === 3) return pid;
    if (streak === 0 && !(await inspectRouter(ctx.spec))?.running) return undefined;
    await ctx.clock.sleep(POLL_MS);
  }
  return undefined;
}

/** The old worker's servers, to write into the file the new worker reads. */
async function liveServers(ctx: RouterContext): Promise<Record<string, RouterConfigServer[]>> {
  const servers: Record<string, RouterConfigServer[]> = {};
  for (const row of parseServersState(await ctx.command("show servers state"))) {
    if (row.ip === "-") continue; // no address: nothing to carry
    const entry = { name: row.name, address: joinAddress(row.ip, row.port), enabled: adminState(row.admin) === "ready" };
    (servers[row.backend] ??= []).push(entry);
  }
  return servers;
}
