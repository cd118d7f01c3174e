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

/** Problems of a table: two backends on one port would take each other's traffic. */
export function portConflicts(table: readonly SwarmRouteEntry[]): string[] {
  const byPort = new Map<number, SwarmRouteEntry>();
  const problems: string[] = [];
  for (const route of table) {
    const taken = byPort.get(route.listen);
    if (taken && taken.backend !== route.backend) problems.push(`port ${route.listen} is already the route of ${taken.project}/${taken.environment} on the swarm router: give ${route.project}/${route.environment} another listen port`);
    else byPort.set(route.listen, route);
  }
  return problems;
}
