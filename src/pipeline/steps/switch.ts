/**
 * switch: runtime-API commands only, never a reload. The new release's routed containers become
 * servers of the environment's backends and are made ready (and written into the file HAProxy
 * starts from); the old ones are set to drain.
 * Stop-first services (a scheduler) are swapped here: the old one stops, then the new starts.
 */
import { SlipwayError } from "../../core/errors.js";
import { LABEL } from "../../plan/naming.js";
import { releaseProject, type DeployRun } from "../deploy-run.js";
import { backendName, updateRegistry, type RegistryServer } from "../route-registry.js";
import { withRouterLock } from "../router-lock.js";
import { restoreRouter, routerError, routesPending, saveServers } from "../router-sync.js";

/** Servers that were serving before the switch, per backend: the retire step removes them. */
export type Retiring = ReadonlyArray<{ readonly backend: string; readonly server: string }>;

export function serversOf(run: DeployRun, service: string, port: number): RegistryServer[] {
  return run.containers
    .filter((c) => c.labels[LABEL.service] === service)
    .map((c) => {
      const published = c.ports.find((p) => p.containerPort === port && p.hostIp === "127.0.0.1");
      if (!published) throw new SlipwayError("E_SWITCH_FAILED", `${c.name} publishes no port for ${port} on 127.0.0.1`);
      const number = c.labels["com.docker.compose.container-number"] ?? "1";
      return { name: `${run.release.name}-${service}-${number}`, address: `127.0.0.1:${published.hostPort}` };
    });
}

async function swapStopFirst(run: DeployRun): Promise<void> {
  const services = run.plan.stopFirst;
  if (services.length === 0 || !run.previous) return;
  const { compose } = run.deps;
  const onLine = (line: string, stream: "stdout" | "stderr"): void => run.log("switch", stream, line);
  const stopped = await compose.exec(releaseProject(run, run.previous.runsAs), ["stop", ...services], { onLine });
  // Never two at once: if the old ones may still run, the new ones do not start.
  if (stopped.exitCode !== 0) throw new SlipwayError("E_SWITCH_FAILED", `the stop-first services ${services.join(", ")} of ${run.previous.name} did not stop (docker compose stop exited ${stopped.exitCode})`);
  const result = await compose.exec(releaseProject(run), ["up", "-d", "--no-build", "--pull", "never", ...services], { onLine });
  if (result.exitCode !== 0) throw new SlipwayError("E_SWITCH_FAILED", `the stop-first services ${services.join(", ")} did not start`);
  run.log("switch", "info", `swapped stop-first ${services.join(", ")}`);
}

export async function switchTraffic(run: DeployRun): Promise<Retiring> {
  const { router } = run.deps;
  const retiring: Array<{ backend: string; server: string }> = [];
  try {
    // Route changes preflight left for now (a new port or hosts, a route gone): a reload, which
    // carries the serving servers over.
    if (routesPending(run.deps, run.plan)) {
      const changes = await restoreRouter(run.deps, run.plan);
      run.log("switch", "info", `router: routes changed${changes.length > 0 ? `: ${changes.join("; ")}` : ""}`);
    }
    for (const route of run.plan.routes) {
      const backend = backendName(run.plan.project, run.plan.environment, route);
      const fresh = serversOf(run, route.service, route.port);
      // Added and recorded under the host's router lock: a reload by another environment's
      // deployment in between would put back the servers recorded before, not these. Written
      // into the router's file too (no reload): a restart of HAProxy starts with them.
      await withRouterLock(run.deps.paths.router, async () => {
        for (const server of fresh) await router.addServer(backend, server.name, server.address);
        const registry = updateRegistry(run.deps.paths.router, (current) => {
          const entry = current[backend];
          return entry ? { ...current, [backend]: { ...entry, servers: fresh } } : current;
        });
        await saveServers(router, registry);
      });
      const names = new Set(fresh.map((s) => s.name));
      for (const old of (await router.servers(backend)).filter((s) => !names.has(s.name))) {
        await router.drainServer(backend, old.name);
        retiring.push({ backend, server: old.name });
      }
      run.log("switch", "info", `${backend}: ${fresh.map((s) => s.name).join(", ")} serving${retiring.length ? `, draining ${retiring.map((r) => r.server).join(", ")}` : ""}`);
    }
  } catch (error) {
    throw error instanceof SlipwayError ? error : routerError(error);
  }
  await swapStopFirst(run);
  return retiring;
}
