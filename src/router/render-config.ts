/**
 * The whole haproxy.cfg, rendered from the router's state: pure, so a change of routes is a
 * change of this string, and "did the config change?" is a string comparison.
 * Sections and lines come out sorted, so the same routes in another order render the same.
 */
import { checkAddress, checkHost, checkName, checkPort } from "./names.js";
import { RouterError } from "./router-error.js";

/** A server written into the file, so that HAProxy starts with it (see ensure-router.ts). */
export interface RouterConfigServer {
  readonly name: string;
  readonly address: string;
  /** false renders `disabled` (maintenance): a drained server gets no new request after a reload. */
  readonly enabled: boolean;
}

export interface RouterRoute {
  readonly backend: string;
  readonly listen: number;
  readonly hosts: readonly string[];
  /** The servers HAProxy is to start with; servers come and go at run time too. */
  readonly servers?: readonly RouterConfigServer[];
}

export interface RouterState {
  readonly routes: readonly RouterRoute[];
  /** Path of the admin socket inside the container. */
  readonly adminSocket: string;
  /** Owner of the socket when Slipway does not run as root (HAProxy creates it as root, mode 600). */
  readonly adminSocketUid?: number;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const GLOBAL = (state: RouterState): string[] => [
  "global",
  "    master-worker",
  // expose-fd lets a reloading process take the listening sockets over: no refused connection.
  `    stats socket ${state.adminSocket} mode 600 level admin expose-fd listeners${state.adminSocketUid ? ` uid ${state.adminSocketUid}` : ""}`,
  "    stats timeout 30s",
  "    log stdout format raw local0 notice",
];

const DEFAULTS = [
  "defaults",
  "    mode http",
  "    log global",
  "    option forwardfor",
  // One server connection per request, keep-alive on the client side only. Nothing idles
  // towards a server, so (1) an app closing its idle keep-alive connection can never race a
  // request HAProxy sends on it (a 502 that only a replay-unsafe retry could hide), (2) a
  // server's session count is exactly its requests in flight, which is what removal waits
  // for, and (3) `del server`, which refuses servers holding idle connections, always can
  // run once those requests end. The price is a loopback connect per request.
  "    option http-server-close",
  // A refused connection (server just gone) goes to another server at once, up to 3 times.
  "    option redispatch 1",
  "    retries 3",
  // Only retry what never reached the app: empty-response and response-timeout replay a
  // request the app may have executed (a POST twice), as HAProxy's manual warns.
  "    retry-on conn-failure",
  "    timeout connect 5s",
  "    timeout client 60s",
  "    timeout server 60s",
  "    timeout http-request 10s",
  "    timeout http-keep-alive 10s",
  "    timeout queue 30s",
  "    timeout tunnel 1h",
];

function checkRoutes(routes: readonly RouterRoute[]): Map<number, RouterRoute[]> {
  const backends = new Set<string>();
  const ports = new Map<number, RouterRoute[]>();
  for (const route of routes) {
    if (backends.has(checkName("backend", route.backend))) {
      throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} is routed twice: each backend has one listen port and one set of hosts`);
    }
    backends.add(route.backend);
    const onPort = ports.get(checkPort(route.listen)) ?? [];
    ports.set(route.listen, [...onPort, route]);
  }
  for (const [port, onPort] of ports) checkPortRoutes(port, onPort);
  return ports;
}

function checkPortRoutes(port: number, routes: readonly RouterRoute[]): void {
  const catchAll = routes.filter((r) => r.hosts.length === 0).map((r) => r.backend);
  if (catchAll.length > 1) {
    throw new RouterError("E_ROUTER_CONFIG", `port ${port} has more than one route without hosts (${catchAll.sort(byName).join(", ")}): give all but one of them host names`);
  }
  const owner = new Map<string, string>();
  for (const route of routes) {
    for (const host of route.hosts.map(checkHost)) {
      const other = owner.get(host);
      if (other !== undefined && other !== route.backend) {
        throw new RouterError("E_ROUTER_CONFIG", `host ${host} on port ${port} is routed to both ${other} and ${route.backend}`);
      }
      owner.set(host, route.backend);
    }
  }
}

function frontend(port: number, routes: readonly RouterRoute[]): string[] {
  const lines = [`frontend port:${port}`, `    bind :${port}`];
  for (const route of [...routes].sort((a, b) => byName(a.backend, b.backend))) {
    if (route.hosts.length === 0) continue;
    // Clients put the port in Host when it is not the scheme's default: match both forms.
    const hosts = [...new Set(route.hosts.map(checkHost))].sort(byName).flatMap((h) => [h, `${h}:${port}`]);
    lines.push(`    use_backend ${route.backend} if { hdr(host) -i ${hosts.join(" ")} }`);
  }
  const catchAll = routes.find((r) => r.hosts.length === 0);
  // Without a default backend HAProxy answers 503 to a host no route names.
  if (catchAll) lines.push(`    default_backend ${catchAll.backend}`);
  return lines;
}

const SERVER_LINE = "    server ";

function backend(route: RouterRoute): string[] {
  // A dynamic algorithm such as roundrobin: deploys add and remove servers at run time.
  const lines = [`backend ${route.backend}`, "    balance roundrobin"];
  const names = new Set<string>();
  for (const server of [...(route.servers ?? [])].sort((a, b) => byName(a.name, b.name))) {
    if (names.has(checkName("server", server.name))) throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} lists server ${server.name} twice`);
    names.add(server.name);
    lines.push(`${SERVER_LINE}${server.name} ${checkAddress(server.address)}${server.enabled ? "" : " disabled"}`);
  }
  return lines;
}

/**
 * The config without its server lines: what a reload would change. Two configs that differ in
 * their servers only are the same to HAProxy's running process, which changes servers at run time.
 */
export function routesPart(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.startsWith(SERVER_LINE))
    .join("\n");
}

export function renderRouterConfig(state: RouterState): string {
  if (!/^\/\S+$/.test(state.adminSocket)) {
    throw new RouterError("E_ROUTER_CONFIG", `admin socket ${JSON.stringify(state.adminSocket)} must be an absolute path without spaces`);
  }
  const ports = checkRoutes(state.routes);
  const sections = [GLOBAL(state), DEFAULTS];
  for (const port of [...ports.keys()].sort((a, b) => a - b)) sections.push(frontend(port, ports.get(port) ?? []));
  for (const route of [...state.routes].sort((a, b) => byName(a.backend, b.backend))) {
    sections.push(backend(route));
  }
  return `# Written by Slipway from its routes; changes made here are overwritten.\n${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
