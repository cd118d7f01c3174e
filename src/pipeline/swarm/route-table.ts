/**
 * The swarm router serves every swarm environment deployed from this host: its routes are kept
 * in one file beside the single-host router's registry, changed under the same router lock,
 * and the router is always given all of them (an environment's preflight must never drop
 * another's backend).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writePrivateFile } from "../../core/private-files.js";
import type { SwarmRouteSpec } from "../deploy-run.js";

export interface SwarmRouteEntry extends SwarmRouteSpec {
  readonly project: string;
  readonly environment: string;
}

const fileOf = (dir: string): string => join(dir, "swarm-routes.json");

export function readSwarmRoutes(dir: string): SwarmRouteEntry[] {
  const file = fileOf(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SwarmRouteEntry[]) : [];
}

/** The table with the environment's routes replaced by these (none: removed), sorted by backend. */
export function withSwarmRoutes(table: readonly SwarmRouteEntry[], project: string, environment: string, routes: readonly SwarmRouteSpec[]): SwarmRouteEntry[] {
  const others = table.filter((r) => r.project !== project || r.environment !== environment);
  return [...others, ...routes.map((r) => ({ ...r, project, environment }))].sort((a, b) => a.backend.localeCompare(b.backend));
}

export function writeSwarmRoutes(dir: string, table: readonly SwarmRouteEntry[]): void {
  writePrivateFile(fileOf(dir), `${JSON.stringify(table, null, 2)}\n`);
}

/**
 * Problems of a table: two backends on one port, or on one host name, would take each other's
 * traffic; a port route on the web ports would take the host names'. `web`: the router's web
 * ports; `singleHostWeb`: the single-host router serves host names on this host (on the same ports).
 */
export function portConflicts(table: readonly SwarmRouteEntry[], web: { readonly http: number; readonly https: number }, singleHostWeb = false): string[] {
  const byPort = new Map<number, SwarmRouteEntry>();
  const byHost = new Map<string, SwarmRouteEntry>();
  const problems: string[] = [];
  const withHosts = table.filter((route) => (route.hosts ?? []).length > 0);
  if (withHosts.length > 0 && singleHostWeb) {
    problems.push(`the single-host router serves host names on ports ${web.http} and ${web.https} of this host, which the swarm router would take for ${withHosts.map((r) => `${r.project}/${r.environment}`).join(", ")}: serve one driver's host names per host, or route the swarm environment by port (listen:)`);
  }
  for (const route of withHosts) {
    for (const host of route.hosts ?? []) {
      const owner = byHost.get(host);
      if (owner && owner.backend !== route.backend) problems.push(`host ${host} is already routed to ${owner.project}/${owner.environment} on the swarm router`);
      else byHost.set(host, route);
    }
  }
  for (const route of table) {
    if ((route.hosts ?? []).length > 0) continue;
    if (withHosts.length > 0 && (route.listen === web.http || route.listen === web.https)) {
      problems.push(`port ${route.listen} is the port the swarm router serves host names on: give ${route.project}/${route.environment} another listen port`);
      continue;
    }
    const taken = byPort.get(route.listen);
    if (taken && taken.backend !== route.backend) problems.push(`port ${route.listen} is already the route of ${taken.project}/${taken.environment} on the swarm router: give ${route.project}/${route.environment} another listen port`);
    else byPort.set(route.listen, route);
  }
  return problems;
}
