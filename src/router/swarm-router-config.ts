/**
 * The Swarm router's haproxy.cfg, rendered from its routes: pure, like render-config.ts.
 *
 * Each route's backend holds two groups of slots (`server-template a…` and `b…`), each group
 * resolving one name through Docker's DNS: `tasks.<stack>_<service>` for the release it serves,
 * or a placeholder for the idle group. A switch points the idle group at the next release's
 * tasks with the runtime API (`set server … fqdn`), so a deploy never reloads HAProxy; see
 * swarm-switch.ts. Only the live group is written here (so that a restart of the task starts
 * with the live release); the runtime state otherwise belongs to the running HAProxy.
 */
import { checkName, checkPort } from "./names.js";
import { DEFAULT_WEB_PORTS, hostOwners, renderWebFiles, webFrontends, type RouterRoute, type WebPorts } from "./render-config.js";
import { RouterError } from "./router-error.js";

export const SLOT_GROUPS = ["a", "b"] as const;
export type SlotGroup = (typeof SLOT_GROUPS)[number];

/** What an idle group resolves: a name that never answers, so its slots hold no address. */
export const PLACEHOLDER_FQDN = "idle.slipway.invalid";
/** Slots per group: a release's replicas of the routed service must fit (HAProxy fills one slot per task address). */
export const DEFAULT_SLOTS = 8;

export interface SwarmRouteLive {
  readonly group: SlotGroup;
  /** The swarm service, "<stack>_<service>". */
  readonly service: string;
}

export interface SwarmRoute {
  readonly backend: string;
  /** Port published on the router's node (mode host); a route with hosts is served on the web ports instead. */
  readonly listen: number;
  /** Host names served on the web ports (HTTP, and HTTPS once its certificate is installed). */
  readonly hosts?: readonly string[];
  /** The certificate that serves its hosts over HTTPS (none: plain HTTP only). */
  readonly certificate?: string;
  /** Strict-Transport-Security on its HTTPS answers. */
  readonly hsts?: boolean;
  /**
   * The port the routed service's tasks answer on. Fixed per route: HAProxy 2.6 changes a
   * slot's port at run time only once it has an address (`set server addr` refuses a slot that
   * never resolved), so a new port is a reload, not a switch.
   */
  readonly port: number;
  /** Slots in each group (default 8). */
  readonly slots?: number;
  /** The release served, written so that HAProxy starts with it; none: the route answers 503 until a switch. */
  readonly live?: SwarmRouteLive;
}

export interface SwarmRouterConfigState {
  readonly routes: readonly SwarmRoute[];
  /** Path of the admin socket inside the container. */
  readonly adminSocket: string;
  /** The config directory inside the container. */
  readonly configDir: string;
  /** Where routes with host names are served (default 80 and 443). */
  readonly web?: WebPorts;
}

const hostsOf = (route: SwarmRoute): readonly string[] => route.hosts ?? [];

/** Whether the router serves the web frontends (ports 80/443 by default): some route has host names. */
export const servesWebRoutes = (routes: readonly SwarmRoute[]): boolean => routes.some((route) => hostsOf(route).length > 0);

/** The ports the router's task publishes: each port route's, and the web ports when a route has hosts. */
export function publishedPorts(routes: readonly SwarmRoute[], web: WebPorts = DEFAULT_WEB_PORTS): number[] {
  const ports = routes.filter((route) => hostsOf(route).length === 0).map((route) => route.listen);
  return servesWebRoutes(routes) ? [...ports, web.http, web.https] : ports;
}

/** The routes as the single-host router's renderer takes them, for the maps and the crt-list they share. */
const asRouterRoutes = (routes: readonly SwarmRoute[]): RouterRoute[] =>
  routes.map((route) => ({ backend: route.backend, listen: route.listen, hosts: hostsOf(route), ...(route.certificate ? { certificate: route.certificate } : {}), ...(route.hsts ? { hsts: true } : {}) }));

/** The map files and the crt-list (see web-files.ts), for these routes and the certificates installed. */
export function renderSwarmWebFiles(routes: readonly SwarmRoute[], certificates: readonly string[], web: WebPorts = DEFAULT_WEB_PORTS): Record<string, string> {
  return renderWebFiles({ routes: asRouterRoutes(routes), web, certificates, adminSocket: "-" });
}

const SERVICE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function checkServiceName(service: string): string {
  if (!SERVICE.test(service) || service.length > 63) {
    throw new RouterError("E_ROUTER_CONFIG", `swarm service ${JSON.stringify(service)} is not a service name (letters, digits, "_", "-", ".")`);
  }
  return service;
}

export const slotsOf = (route: SwarmRoute): number => route.slots ?? DEFAULT_SLOTS;
export const slotName = (group: SlotGroup, index: number): string => `${group}${index}`;

/** Where a reload finds the slots' runtime state (fqdn, address, admin state), written just before it. */
export const SERVER_STATE_FILE = "server-state";

const GLOBAL = (socket: string, configDir: string): string[] => [
  "global",
  "    master-worker",
  `    server-state-file ${configDir}/${SERVER_STATE_FILE}`,
  `    stats socket ${socket} mode 600 level admin expose-fd listeners`,
  "    stats timeout 30s",
  "    log stdout format raw local0 notice",
];

// Docker's embedded DNS, as every task on an overlay network sees it. HAProxy's defaults
// re-resolve every second (timeout resolve 1s, retry 1s): measured on the 3-node swarm,
// `timeout resolve 5s` with `hold valid 10s` kept dead task addresses long enough to give 503s.
const RESOLVERS = ["resolvers docker", "    nameserver dns 127.0.0.11:53", "    accepted_payload_size 8192"];

const DEFAULTS = [
  "defaults",
  "    mode http",
  "    log global",
  "    option forwardfor",
  // Keep-alive to the servers, as the single-host router (see render-config.ts).
  "    option http-keep-alive",
  "    http-reuse safe",
  "    option redispatch 1",
  "    retries 3",
  "    retry-on conn-failure",
  // A reload's idle client connections close after their next answer (see render-config.ts).
  "    option idle-close-on-response",
  "    timeout connect 5s",
  "    timeout client 60s",
  "    timeout server 60s",
  "    timeout http-request 10s",
  "    timeout http-keep-alive 10s",
  "    timeout queue 30s",
  "    timeout check 2s",
  // A reload takes the slots over as they are (see swarm-router.ts); absent file: the slot lines.
  "    load-server-state-from-file global",
];

/**
 * Options of every slot. No `on-marked-down shutdown-sessions`: it reset requests in flight at
 * 32 clients. A slot born without an address (`init-addr none`) waits for DNS; `check` marks it
 * UP only once a connection to its task succeeds.
 */
export const SLOT_OPTIONS = "resolvers docker init-addr none check inter 1s fall 2 rise 1 pool-max-conn -1 pool-purge-delay 5s";

export const SLOT_LINE = "    server-template ";

function slotLines(route: SwarmRoute): string[] {
  const slots = slotsOf(route);
  return SLOT_GROUPS.map((group) => {
    const live = route.live?.group === group ? route.live : undefined;
    const target = `${live === undefined ? PLACEHOLDER_FQDN : `tasks.${checkServiceName(live.service)}`}:${checkPort(route.port)}`;
    return `${SLOT_LINE}${group} 1-${slots} ${target} ${SLOT_OPTIONS}${live === undefined ? " disabled" : ""}`;
  });
}

function checkRoutes(routes: readonly SwarmRoute[], web: WebPorts): void {
  const backends = new Set<string>();
  const ports = new Set<number>();
  const webPorts = servesWebRoutes(routes) ? [web.http, web.https] : [];
  for (const route of routes) {
    if (backends.has(checkName("backend", route.backend))) throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} is routed twice`);
    const slots = slotsOf(route);
    if (!Number.isInteger(slots) || slots < 1 || slots > 64) throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend}: slots must be 1-64, not ${slots}`);
    backends.add(route.backend);
    if (route.certificate !== undefined) checkName("certificate", route.certificate);
    if (hostsOf(route).length > 0) continue; // served on the web ports, by host name
    if (ports.has(checkPort(route.listen))) throw new RouterError("E_ROUTER_CONFIG", `port ${route.listen} has more than one route`);
    if (webPorts.includes(route.listen)) throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} listens on ${route.listen}, the port routes with host names share: give it host names, or another listen port`);
    ports.add(route.listen);
  }
  hostOwners(asRouterRoutes(routes)); // a host routed to two backends fails here
}

export function renderSwarmRouterConfig(state: SwarmRouterConfigState): string {
  const web = state.web ?? DEFAULT_WEB_PORTS;
  checkRoutes(state.routes, web);
  const routes = [...state.routes].sort((a, b) => a.listen - b.listen || a.backend.localeCompare(b.backend));
  const sections = [GLOBAL(state.adminSocket, state.configDir), RESOLVERS, DEFAULTS];
  // The same frontends as the single-host router's: hosts, redirects and certificates in maps and a crt-list.
  if (servesWebRoutes(routes)) sections.push(...webFrontends(web));
  for (const route of routes.filter((r) => hostsOf(r).length === 0)) sections.push([`frontend port:${route.listen}`, `    bind :${route.listen}`, `    default_backend ${route.backend}`]);
  for (const route of routes) sections.push([`backend ${route.backend}`, "    balance roundrobin", ...slotLines(route)]);
  return `# Written by Slipway from its routes; changes made here are overwritten.\n${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}

/**
 * The config without what a switch changes at run time (which name a group resolves, whether it
 * is disabled): two configs equal here need no reload. A slot count or port does need one.
 */
export function withoutSlots(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith(SLOT_LINE) ? line.replace(/^(\s+server-template \S+ \S+ )\S+:(\d+) /, "$1*:$2 ").replace(/ disabled$/, "") : line))
    .join("\n");
}
