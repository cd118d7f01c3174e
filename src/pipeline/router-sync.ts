/**
 * Keeps the router in step with the registry: routes for every environment, servers put back,
 * and the servers written into the file HAProxy starts from whenever they change.
 */
import { SlipwayError } from "../core/errors.js";
import type { ReleasePlan } from "../plan/plan-release.js";
import { isRouterError } from "../router/router-error.js";
import type { Router, RouterRoute } from "../router/router.js";
import type { DeployDeps } from "./deploy-run.js";
import { readRegistry, updateRegistry, withEnvironmentRoutes, type Registry } from "./route-registry.js";
import { withRouterLock } from "./router-lock.js";

/** Every routed backend of the registry, with the servers it records: what HAProxy is to start with. */
export function routerRoutes(registry: Registry): RouterRoute[] {
  return Object.entries(registry)
    .filter(([, backend]) => backend.listen > 0 || backend.hosts.length > 0)
    .map(([backend, b]) => ({
      backend,
      listen: b.listen,
      hosts: b.hosts,
      servers: b.servers.map((s) => ({ name: s.name, address: s.address, enabled: true })),
      ...(b.certificate ? { certificate: b.certificate } : {}),
      ...(b.hsts ? { hsts: true } : {}),
    }));
}

export function routerError(error: unknown): SlipwayError {
  if (error instanceof SlipwayError) return error;
  return new SlipwayError("E_ROUTER_UNAVAILABLE", `the router (HAProxy) could not be set up: ${(error as Error).message}`, { cause: error });
}

/**
 * The registry's servers written into the file HAProxy starts from, without a reload. Should the
 * file not hold the registry's routes (an earlier ensure failed half-way), the router is made
 * to run them first.
 */
export async function saveServers(router: Router, registry: Registry): Promise<void> {
  const routes = routerRoutes(registry);
  try {
    router.persist(routes);
  } catch (error) {
    if (!isRouterError(error, "E_ROUTER_CONFIG")) throw error;
    await router.ensure(routes);
  }
}

/** Adds the servers the registry lists that HAProxy does not know (after a restart or reload). */
export async function restoreServers(router: Router, registry: Registry): Promise<number> {
  let restored = 0;
  for (const [backend, entry] of Object.entries(registry)) {
    if ((entry.listen <= 0 && entry.hosts.length === 0) || entry.servers.length === 0) continue;
    const known = new Set((await router.servers(backend)).map((s) => s.name));
    for (const server of entry.servers.filter((s) => !known.has(s.name))) {
      await router.addServer(backend, server.name, server.address);
      restored++;
    }
  }
  return restored;
}

/**
 * Router running with this environment's routes and every other's; returns what it did. Under
 * the host's router lock: another environment's deployment may be changing routes too. With
 * `keepServing` (preflight), routes that serve keep their port and hosts until the switch.
 */
export async function restoreRouter(deps: Pick<DeployDeps, "router" | "paths">, plan: Pick<ReleasePlan, "project" | "environment" | "routes">, options: { keepServing?: boolean; serveWeb?: boolean } = {}): Promise<string[]> {
  return await withRouterLock(deps.paths.router, async () => {
    const registry = updateRegistry(deps.paths.router, (r) => withEnvironmentRoutes(r, plan.project, plan.environment, plan.routes, options));
    try {
      const outcome = await deps.router.ensure(routerRoutes(registry), options.serveWeb ? { serveWeb: true } : {});
      const notes = [...(outcome.created ? ["created the router"] : []), ...(outcome.reloaded ? ["reloaded its config for new routes"] : [])];
      const restored = await restoreServers(deps.router, registry);
      return restored > 0 ? [...notes, `put back ${restored} server${restored === 1 ? "" : "s"}`] : notes;
    } catch (error) {
      throw routerError(error);
    }
  });
}

/**
 * Whether the environment's routes in the registry differ from the plan's (preflight kept the
 * serving ones as they were). Only the environment's own deployments, which hold its lock,
 * change them: no router lock needed to ask.
 */
export function routesPending(deps: Pick<DeployDeps, "paths">, plan: Pick<ReleasePlan, "project" | "environment" | "routes">): boolean {
  const registry = readRegistry(deps.paths.router);
  // Other environments' backends come back unchanged; only the order of the keys may differ.
  const sorted = (r: Registry): string => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return sorted(registry) !== sorted(withEnvironmentRoutes(registry, plan.project, plan.environment, plan.routes));
}
