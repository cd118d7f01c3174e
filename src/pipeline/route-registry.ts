/**
 * The router's desired state on this host: every backend of every environment, with the
 * servers that should be in it. HAProxy forgets servers added at run time when it restarts or
 * reloads; after either, Slipway puts them back from here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writePrivateFile } from "../core/private-files.js";
import type { Route } from "../plan/classify.js";

export interface RegistryServer {
  readonly name: string;
  readonly address: string;
}

export interface RegistryBackend {
  readonly project: string;
  readonly environment: string;
  readonly listen: number;
  readonly hosts: readonly string[];
  readonly servers: readonly RegistryServer[];
  /** The certificate that serves its hosts over HTTPS; absent: plain HTTP. */
  readonly certificate?: string;
  readonly hsts?: boolean;
}

export type Registry = Readonly<Record<string, RegistryBackend>>;

export function backendName(project: string, environment: string, route: Pick<Route, "service" | "port">): string {
  return `${project}_${environment}_${route.service}_${route.port}`;
}

export function readRegistry(dir: string): Registry {
  const file = join(dir, "routes.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Registry) : {};
}

/** Written whole to a temporary file and renamed (mode 0600): a crash never leaves half a file. */
export function writeRegistry(dir: string, registry: Registry): void {
  writePrivateFile(join(dir, "routes.json"), `${JSON.stringify(registry, null, 2)}\n`);
}

export function updateRegistry(dir: string, change: (registry: Registry) => Registry): Registry {
  const next = change(readRegistry(dir));
  writeRegistry(dir, next);
  return next;
}

/**
 * The environment's routes as backends (servers kept from the registry when already there).
 * With `keepServing`, a backend that has servers stays exactly as it is, and is not dropped:
 * a new release changes what serves traffic at its switch, not before it has been verified.
 */
export function withEnvironmentRoutes(registry: Registry, project: string, environment: string, routes: readonly Route[], options: { keepServing?: boolean } = {}): Registry {
  const next: Record<string, RegistryBackend> = {};
  for (const [name, backend] of Object.entries(registry)) {
    const mine = backend.project === project && backend.environment === environment;
    if (!mine || (options.keepServing && backend.servers.length > 0)) next[name] = backend;
  }
  for (const route of routes) {
    const name = backendName(project, environment, route);
    if (next[name]) continue;
    const tls = { ...(route.certificate ? { certificate: route.certificate } : {}), ...(route.hsts ? { hsts: true } : {}) };
    next[name] = { project, environment, listen: route.hosts.length > 0 ? 0 : (route.listen ?? 0), hosts: route.hosts, servers: registry[name]?.servers ?? [], ...tls };
  }
  return next;
}
