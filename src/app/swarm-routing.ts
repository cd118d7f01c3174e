/**
 * The swarm router as the pipeline uses it: every route of the host's swarm environments given
 * at once, with the release each one serves now carried over (the router keeps it in its own
 * routes file at every switch), so that a route added for one environment never resets the
 * live release of another.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SwarmRouting } from "../pipeline/deploy-run.js";
import { ensureSwarmRouter, removeSwarmRouter, ROUTES_FILE, swarmRouter, swarmRouterCertificates, switchSwarmRoute, type SwarmRoute, type SwarmRouterOptions } from "../router/swarm-router.js";

function liveRoutes(etcDir: string): Map<string, SwarmRoute> {
  const file = join(etcDir, ROUTES_FILE);
  const routes = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SwarmRoute[]) : [];
  return new Map(routes.map((route) => [route.backend, route]));
}

export function createSwarmRouting(options: SwarmRouterOptions): SwarmRouting {
  return {
    async ensure(routes) {
      const current = liveRoutes(swarmRouter(options).etcDir);
      await ensureSwarmRouter(
        options,
        routes.map((route) => {
          const known = current.get(route.backend);
          // A release served on another container port is no release of this route any more.
          const live = known?.port === route.port ? known.live : undefined;
          const web = { ...(route.hosts?.length ? { hosts: route.hosts } : {}), ...(route.certificate ? { certificate: route.certificate } : {}), ...(route.hsts ? { hsts: true } : {}) };
          return { backend: route.backend, listen: route.listen, port: route.port, ...web, ...(live ? { live } : {}) };
        }),
      );
    },
    async switchTo(backend, target) {
      await switchSwarmRoute(swarmRouter(options), backend, target);
    },
    async remove() {
      await removeSwarmRouter(options);
    },
    certificates: swarmRouterCertificates(options),
  };
}
