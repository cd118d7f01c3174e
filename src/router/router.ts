/**
 * The router: HAProxy in the container `slipway-router`, driven through its runtime API.
 * Deploys change servers only (add, drain, remove), never HAProxy's config: no reload, no
 * dropped keep-alive connection; they write the servers into the file a restart starts from.
 * `ensure` writes and reloads the config, for rare route changes.
 */
import type Docker from "dockerode";
import { join, resolve } from "node:path";
import { systemClock, type Clock } from "../core/clock.js";
import { existsSync, readFileSync } from "node:fs";
import { certificateStore, type CertificateRouter } from "./certificate-store.js";
import { ensureRouter, persistServers, type EnsureOptions, type EnsureOutcome, type RouterContext } from "./ensure-router.js";
import { checkAddress, checkName, joinAddress } from "./names.js";
import { DEFAULT_WEB_PORTS, SERVER_OPTIONS, type RouterRoute, type WebPorts } from "./render-config.js";
import { inspectRouter, removeRouter, type RouterContainerSpec } from "./router-container.js";
import { RouterError } from "./router-error.js";
import { adminState, parseInfo, parseServersState, parseStat, runtimeCommand, type RuntimeOptions } from "./runtime-api.js";

export type { RouterRoute, WebPorts } from "./render-config.js";
export type { EnsureOptions } from "./ensure-router.js";
export type { CertificateRouter } from "./certificate-store.js";

export interface RouterServer {
  readonly name: string;
  /** "127.0.0.1:49153" */
  readonly address: string;
  readonly state: "ready" | "drain" | "maint";
  /** Requests in flight or queued on it. */
  readonly sessions: number;
}

export interface RouterInfo {
  /** PID of the worker (inside the container): a reload replaces the worker, so it changes. */
  readonly pid: number;
  /** Age of the worker; starts again from 0 at a reload. */
  readonly uptimeSeconds: number;
  readonly containerId: string;
}

export interface Router extends CertificateRouter {
  /**
   * Router container running with a config that serves exactly these routes. Creates the
   * container if absent (or recreates it if it exited or was removed), validates the config
   * with `haproxy -c` before applying it, and reloads (SIGUSR2 to the master) only when the
   * routes changed. A reload carries the live servers over to the new worker. The file on disk
   * lists the routes' servers, so that a creation, and any restart of HAProxy, starts with them.
   */
  ensure(routes: readonly RouterRoute[], options?: EnsureOptions): Promise<EnsureOutcome>;
  /** Where routes with host names are served. */
  readonly web: WebPorts;
  /** Writes the routes' servers into the file HAProxy starts from; never reloads (the routes must be those it runs). */
  persist(routes: readonly RouterRoute[]): void;
  servers(backend: string): Promise<RouterServer[]>;
  /** `add server` at run time, then make it ready. Idempotent for the same name+address. */
  addServer(backend: string, name: string, address: string): Promise<void>;
  /** Stop sending new requests to it; requests in flight finish. */
  drainServer(backend: string, name: string): Promise<void>;
  /** Drains it, waits (up to timeoutMs, default 30 s) until it holds no session, then maint + `del server`. Absent: done. */
  removeServer(backend: string, name: string, options?: { readonly timeoutMs?: number }): Promise<void>;
  info(): Promise<RouterInfo>;
  /** Stops and removes the router container (for `slipway down` of the last environment, and tests). */
  remove(): Promise<void>;
}

export interface RouterOptions {
  readonly docker: () => Promise<Docker>;
  /** Host directory for the config (etc/) and the admin socket (run/), e.g. ~/.slipway/router. */
  readonly home: string;
  readonly image?: string;
  readonly containerName?: string;
  /** Extra labels on the router's containers (tests mark theirs). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Owner of the admin socket, when Slipway runs as this non-root user against a rootful engine. */
  readonly adminSocketUid?: number;
  readonly clock?: Clock;
  /** Ports that routes with host names share (default 80 and 443). */
  readonly web?: WebPorts;
}

const DEFAULT_REMOVE_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

export function createRouter(options: RouterOptions): Router {
  const home = resolve(options.home);
  const socket = join(home, "run", "admin.sock");
  // sun_path holds 108 bytes; a longer path fails later with an obscure error.
  if (Buffer.byteLength(socket) > 107) throw new RouterError("E_ROUTER_CONFIG", `the router's socket path ${socket} is too long for a unix socket: use a shorter home`);
  const spec: RouterContainerSpec = {
    docker: options.docker,
    name: options.containerName ?? "slipway-router",
    image: options.image ?? "haproxy:2.6",
    etcDir: join(home, "etc"),
    runDir: join(home, "run"),
    labels: options.labels ?? {},
  };
  const clock = options.clock ?? systemClock;
  const command = (line: string, opts?: RuntimeOptions): Promise<string> => runtimeCommand(socket, line, opts);
  const web = options.web ?? DEFAULT_WEB_PORTS;
  const ctx: RouterContext = { spec, clock, command, web, ...(options.adminSocketUid ? { adminSocketUid: options.adminSocketUid } : {}) };

  /** Whether a running HAProxy serves the web frontends (and so has a crt-list to change). */
  const servesWeb = async (): Promise<boolean> => {
    const config = existsSync(join(spec.etcDir, "haproxy.cfg")) ? readFileSync(join(spec.etcDir, "haproxy.cfg"), "utf8") : "";
    return config.includes("\nfrontend web-https\n") && (await inspectRouter(spec))?.running === true;
  };

  /** Runs a command whose success is an empty answer; anything else is HAProxy's refusal. */
  const expectEmpty = async (line: string): Promise<void> => {
    const answer = (await command(line)).trim();
    if (answer !== "") throw new RouterError("E_ROUTER_COMMAND", `HAProxy refused "${line}": ${answer}`);
  };

  const servers = async (backend: string): Promise<RouterServer[]> => {
    const rows = parseServersState(await command(`show servers state ${checkName("backend", backend)}`));
    const stats = parseStat(await command("show stat -1 4 -1")).filter((r) => r.pxname === backend);
    const sessions = (name: string): number => {
      const stat = stats.find((r) => r.svname === name);
      return Number(stat?.scur ?? 0) + Number(stat?.qcur ?? 0);
    };
    return rows.map((r) => ({ name: r.name, address: joinAddress(r.ip, r.port), state: adminState(r.admin), sessions: sessions(r.name) }));
  };

  const addServer = async (backend: string, name: string, address: string): Promise<void> => {
    const target = `${checkName("backend", backend)}/${checkName("server", name)}`;
    const answer = (await command(`add server ${target} ${checkAddress(address)} ${SERVER_OPTIONS}`)).trim();
    if (answer.startsWith("Already exists")) {
      const existing = (await servers(backend)).find((s) => s.name === name);
      if (existing?.address !== address) {
        throw new RouterError("E_ROUTER_COMMAND", `server ${target} already exists at ${existing?.address ?? "another address"}, not ${address}: remove it first or use another name`);
      }
    } else if (answer !== "New server registered.") {
      throw new RouterError("E_ROUTER_COMMAND", `HAProxy refused to add server ${target}: ${answer}`);
    }
    // Dynamic servers are born in maintenance.
    await expectEmpty(`set server ${target} state ready`);
  };

  const removeServer = async (backend: string, name: string, timeoutMs: number): Promise<void> => {
    const target = `${checkName("backend", backend)}/${checkName("server", name)}`;
    const deadline = clock.now() + timeoutMs;
    const current = (): Promise<RouterServer | undefined> => servers(backend).then((list) => list.find((s) => s.name === name));
    let server = await current();
    if (server === undefined) return;
    if (server.state === "ready") await expectEmpty(`set server ${target} state drain`);
    while (server !== undefined && server.sessions > 0 && clock.now() < deadline) {
      await clock.sleep(POLL_MS);
      server = await current();
    }
    if (server === undefined) return;
    if (server.sessions > 0) {
      throw new RouterError("E_ROUTER_TIMEOUT", `server ${target} still holds ${server.sessions} request(s) after ${timeoutMs / 1000} s; it stays drained. Remove it again later, or stop its container`);
    }
    await expectEmpty(`set server ${target} state maint`);
    // `del server` also refuses while a connection is still closing: try again until the deadline.
    for (;;) {
      const answer = (await command(`del server ${target}`)).trim();
      if (answer === "Server deleted." || answer === "No such server.") return;
      if (!answer.startsWith("Server still has connections") || clock.now() >= deadline) {
        throw new RouterError(answer.startsWith("Server still") ? "E_ROUTER_TIMEOUT" : "E_ROUTER_COMMAND", `HAProxy did not delete server ${target}: ${answer}`);
      }
      await clock.sleep(POLL_MS);
    }
  };

  return {
    ensure: (routes, opts) => ensureRouter(ctx, routes, opts),
    web,
    ...certificateStore({ etcDir: spec.etcDir, command, servesWeb }),
    persist: (routes) => persistServers(ctx, routes),
    servers,
    addServer,
    drainServer: (backend, name) => expectEmpty(`set server ${checkName("backend", backend)}/${checkName("server", name)} state drain`),
    removeServer: (backend, name, opts) => removeServer(backend, name, opts?.timeoutMs ?? DEFAULT_REMOVE_TIMEOUT_MS),
    async info() {
      const container = await inspectRouter(spec);
      if (!container?.running) throw new RouterError("E_ROUTER_UNAVAILABLE", `the router container ${spec.name} is not running: run a deploy (or ensure()) to start it`);
      const info = parseInfo(await command("show info"));
      return { pid: Number(info.Pid), uptimeSeconds: Number(info.Uptime_sec), containerId: container.id };
    },
    remove: () => removeRouter(spec),
  };
}
