/**
 * The whole haproxy.cfg, rendered from the router's state: pure, so a change of routes is a
 * change of this string, and "did the config change?" is a string comparison.
 * Sections and lines come out sorted, so the same routes in another order render the same.
 */
import { checkAddress, checkHost, checkName, checkPort } from "./names.js";
import { RouterError } from "./router-error.js";
import { certificateFile, DEFAULT_CERTIFICATE, inContainer, WEB_FILES } from "./web-files.js";

/** A server written into the file, so that HAProxy starts with it (see ensure-router.ts). */
export interface RouterConfigServer {
  readonly name: string;
  readonly address: string;
  /** false renders `disabled` (maintenance): a drained server gets no new request after a reload. */
  readonly enabled: boolean;
}

export interface RouterRoute {
  readonly backend: string;
  /** The port of a route without hosts; a route with hosts is served on the web ports instead. */
  readonly listen: number;
  readonly hosts: readonly string[];
  /** The servers HAProxy is to start with; servers come and go at run time too. */
  readonly servers?: readonly RouterConfigServer[];
  /** The certificate that serves its hosts over HTTPS (none: plain HTTP only, `tls: off`). */
  readonly certificate?: string;
  /** Strict-Transport-Security on its HTTPS answers. */
  readonly hsts?: boolean;
}

/** The ports every route with host names shares. */
export interface WebPorts {
  readonly http: number;
  readonly https: number;
}

export const DEFAULT_WEB_PORTS: WebPorts = { http: 80, https: 443 };

export interface RouterState {
  readonly routes: readonly RouterRoute[];
  /** Where host-name routes are served (default 80 and 443). */
  readonly web?: WebPorts;
  /** Names of the certificates installed (see certificate-files.ts): a host redirects to HTTPS once its own is. */
  readonly certificates?: readonly string[];
  /** The web frontends even without a host-name route: an ACME challenge answered before the first host goes live. */
  readonly serveWeb?: boolean;
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
  // Keep-alive on both sides: a server connection outlives its request and serves the next
  // one, instead of a loopback connect (and an accept in the app) per request, which cost
  // most of the router's throughput. What that keeps safe:
  // - "safe" reuse sends a client connection's first request on a connection of its own; only
  //   later ones share idle connections. An app closing an idle connection just as a request
  //   goes out on it so fails a later request of a keep-alive client, which clients retry as
  //   they would talking to the app directly; HAProxy never replays it (see retry-on below).
  // - A server's session count is still its requests in flight: idle connections hold no
  //   session, so removal waits for requests only.
  // - Maintenance closes a server's idle connections (HAProxy 2.4+), so `del server` can run
  //   once its requests end; removal puts it in maintenance first.
  // - Drain and maintenance stop new requests whatever connection is open: a server is chosen
  //   per request, before a connection to it is looked for.
  "    option http-keep-alive",
  "    http-reuse safe",
  // A refused connection (server just gone) goes to another server at once, up to 3 times.
  "    option redispatch 1",
  "    retries 3",
  // Only retry what never reached the app: empty-response and response-timeout replay a
  // request the app may have executed (a POST twice), as HAProxy's manual warns.
  "    retry-on conn-failure",
  // A reload's old worker keeps an idle keep-alive connection until its next request, answers
  // it with "Connection: close", then closes: closing it idle races a request already on its
  // way, which the client then sees reset (HAProxy 2.6+).
  "    option idle-close-on-response",
  "    timeout connect 5s",
  "    timeout client 60s",
  "    timeout server 60s",
  "    timeout http-request 10s",
  "    timeout http-keep-alive 10s",
  "    timeout queue 30s",
  "    timeout tunnel 1h",
];

function checkRoutes(routes: readonly RouterRoute[], web: WebPorts | undefined): Map<number, RouterRoute[]> {
  const backends = new Set<string>();
  const ports = new Map<number, RouterRoute[]>();
  for (const route of routes) {
    if (backends.has(checkName("backend", route.backend))) {
      throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} is routed twice: each backend has one listen port or one set of hosts`);
    }
    backends.add(route.backend);
    if (route.certificate !== undefined) checkName("certificate", route.certificate);
    if (route.hosts.length > 0) continue; // served on the web ports, by host name
    if (checkPort(route.listen) === web?.http || route.listen === web?.https) {
      throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} listens on ${route.listen}, the port routes with host names share: give it host names, or another listen port`);
    }
    const onPort = ports.get(route.listen) ?? [];
    if (onPort.length > 0) {
      throw new RouterError("E_ROUTER_CONFIG", `port ${route.listen} has more than one route without hosts (${[...onPort.map((r) => r.backend), route.backend].sort(byName).join(", ")}): give all but one of them host names`);
    }
    ports.set(route.listen, [route]);
  }
  hostOwners(routes);
  return ports;
}

/** Every host name of every route, to the one backend that serves it. */
export function hostOwners(routes: readonly RouterRoute[]): Map<string, RouterRoute> {
  const owner = new Map<string, RouterRoute>();
  for (const route of routes) {
    for (const host of route.hosts.map(checkHost)) {
      const other = owner.get(host);
      if (other !== undefined && other.backend !== route.backend) {
        throw new RouterError("E_ROUTER_CONFIG", `host ${host} is routed to both ${other.backend} and ${route.backend}`);
      }
      owner.set(host, route);
    }
  }
  return owner;
}

function frontend(port: number, route: RouterRoute): string[] {
  return [`frontend port:${port}`, `    bind :${port}`, `    default_backend ${route.backend}`];
}

const map = (file: string): string => `map(${inContainer(file)})`;
const HOST = "var(txn.host)";
const NOT_FOUND = '    http-request return status 404 content-type text/plain string "No site is served at this address." unless { var(txn.host),' + map(WEB_FILES.hostsMap) + " -m found }";
/**
 * Over HTTPS, a host is served only once its own certificate is (it is in the HTTPS map too):
 * a host of `tls: off` is plain HTTP only, and never reaches its app behind the fallback
 * certificate. Both maps, since a host is added to and removed from them one commit apart.
 */
const NOT_FOUND_HTTPS = `${NOT_FOUND} { var(txn.host),${map(WEB_FILES.httpsMap)} -m found }`;

/**
 * The two frontends every host-name route shares. Which host goes where is in maps (see
 * web-files.ts), so that a host added or gone is a runtime-API change, never a reload.
 */
export function webFrontends(web: WebPorts): string[][] {
  const common = [
    // Host without its port (clients send it when it is not the scheme's default), lower-cased.
    "    http-request set-var(txn.host) req.hdr(host),lower,word(1,:)",
  ];
  const http = [
    "frontend web-http",
    `    bind :${web.http}`,
    ...common,
    // ACME HTTP-01: answered by the router itself, whatever the host, before any redirect.
    `    http-request set-var(txn.acme) path,field(4,/),${map(WEB_FILES.acmeMap)} if { path_beg /.well-known/acme-challenge/ }`,
    '    http-request return status 200 content-type text/plain lf-string "%[var(txn.acme)]" if { var(txn.acme) -m found }',
    `    http-request redirect code 308 location "%[${HOST},${map(WEB_FILES.httpsMap)}]%[pathq]" if { ${HOST},${map(WEB_FILES.httpsMap)} -m found }`,
    NOT_FOUND,
    "    http-request set-header X-Forwarded-Proto http",
    `    use_backend %[${HOST},${map(WEB_FILES.hostsMap)}]`,
  ];
  const https = [
    "frontend web-https",
    // Certificates are chosen by SNI among the crt-list's, the first being the fallback.
    `    bind :${web.https} ssl crt-list ${inContainer(WEB_FILES.crtList)} alpn h2,http/1.1`,
    ...common,
    NOT_FOUND_HTTPS,
    "    http-request set-header X-Forwarded-Proto https",
    `    http-response set-header Strict-Transport-Security "%[${HOST},${map(WEB_FILES.hstsMap)}]" if { ${HOST},${map(WEB_FILES.hstsMap)} -m found }`,
    `    use_backend %[${HOST},${map(WEB_FILES.hostsMap)}]`,
  ];
  return [http, https];
}

const SERVER_LINE = "    server ";

/**
 * Idle connections kept per server: a server added at run time (`add server`) takes nothing
 * from defaults and would otherwise keep none (no pool, purge delay 0), so every request would
 * connect anew. These are the values a server of the file gets by default, written on both so
 * that a server pools the same however it was born.
 */
export const SERVER_OPTIONS = "pool-max-conn -1 pool-purge-delay 5s";

function backend(route: RouterRoute): string[] {
  // A dynamic algorithm such as roundrobin: deploys add and remove servers at run time.
  const lines = [`backend ${route.backend}`, "    balance roundrobin"];
  const names = new Set<string>();
  for (const server of [...(route.servers ?? [])].sort((a, b) => byName(a.name, b.name))) {
    if (names.has(checkName("server", server.name))) throw new RouterError("E_ROUTER_CONFIG", `backend ${route.backend} lists server ${server.name} twice`);
    names.add(server.name);
    lines.push(`${SERVER_LINE}${server.name} ${checkAddress(server.address)} ${SERVER_OPTIONS}${server.enabled ? "" : " disabled"}`);
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

/** Whether the config has the web frontends (and so the maps and the crt-list it names). */
export function servesWeb(state: RouterState): boolean {
  return state.serveWeb === true || state.routes.some((r) => r.hosts.length > 0);
}

export function renderRouterConfig(state: RouterState): string {
  if (!/^\/\S+$/.test(state.adminSocket)) {
    throw new RouterError("E_ROUTER_CONFIG", `admin socket ${JSON.stringify(state.adminSocket)} must be an absolute path without spaces`);
  }
  const web = state.web ?? DEFAULT_WEB_PORTS;
  // A port route may have 80 or 443 to itself, as long as no route has host names.
  const ports = checkRoutes(state.routes, servesWeb(state) ? web : undefined);
  const sections = [GLOBAL(state), DEFAULTS];
  if (servesWeb(state)) sections.push(...webFrontends(web));
  for (const port of [...ports.keys()].sort((a, b) => a - b)) sections.push(frontend(port, ports.get(port)?.[0] as RouterRoute));
  for (const route of [...state.routes].sort((a, b) => byName(a.backend, b.backend))) {
    sections.push(backend(route));
  }
  return `# Written by Slipway from its routes; changes made here are overwritten.\n${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}

const HSTS = "max-age=31536000";

/** The map files and the crt-list of a state: file (relative to the config directory) → text. */
export function renderWebFiles(state: RouterState): Record<string, string> {
  const web = state.web ?? DEFAULT_WEB_PORTS;
  const installed = new Set(state.certificates ?? []);
  const owners = [...hostOwners(state.routes)].sort(([a], [b]) => byName(a, b));
  const secured = owners.filter(([, route]) => route.certificate !== undefined && installed.has(route.certificate));
  const lines = (entries: Array<[string, string]>): string => entries.map(([key, value]) => `${key} ${value}\n`).join("");
  const origin = (host: string): string => `https://${host}${web.https === 443 ? "" : `:${web.https}`}`;
  return {
    [WEB_FILES.hostsMap]: lines(owners.map(([host, route]) => [host, route.backend])),
    [WEB_FILES.httpsMap]: lines(secured.map(([host]) => [host, origin(host)])),
    [WEB_FILES.hstsMap]: lines(secured.filter(([, route]) => route.hsts).map(([host]) => [host, HSTS])),
    [WEB_FILES.acmeMap]: "",
    [WEB_FILES.crtList]: renderCrtList(installed),
  };
}

/** The crt-list: the fallback certificate first (HAProxy's default for the bind line), then the rest by name. */
export function renderCrtList(certificates: Iterable<string>): string {
  const names = [DEFAULT_CERTIFICATE, ...[...certificates].filter((n) => n !== DEFAULT_CERTIFICATE).sort(byName)];
  return names.map((name) => `${inContainer(certificateFile(checkName("certificate", name)))}\n`).join("");
}
