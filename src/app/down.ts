/** Down: the environment's releases, accessories and route go; named volumes only when asked. */
import { LABEL, accessoriesProjectName, environmentNetworkName } from "../plan/naming.js";
import { composeDown } from "../pipeline/compose-down.js";
import { removeEnvFiles } from "../pipeline/reconcile.js";
import { updateRegistry, withEnvironmentRoutes } from "../pipeline/route-registry.js";
import { withRouterLock } from "../pipeline/router-lock.js";
import { routerRoutes } from "../pipeline/router-sync.js";
import { removeRecord } from "../pipeline/certificate-records.js";
import { certificateName } from "../plan/tls.js";
import type { App } from "./app.js";
import { openEnvironment, type ProjectRequest } from "./project.js";
import { environmentDriver } from "../config/environment-driver.js";
import { swarmDown } from "./swarm-down.js";

export interface DownRequest extends ProjectRequest {
  /** Also remove the environment's named volumes (its data). */
  readonly volumes?: boolean;
  readonly actor: string;
  /** Called once when another deployment holds the environment and this waits for it. */
  readonly onWait?: (holder: string) => void;
  /** Progress, one line a thing removed. */
  readonly say: (text: string) => void;
}

export async function down(app: App, request: DownRequest): Promise<void> {
  const env = await openEnvironment(app, request);
  const { store, engine, compose, router, paths, identity } = await app.deps();
  const { name, environment } = env.project;
  const { say } = request;
  await using _lock = await store.acquireLock(env.environmentId, { description: `down by ${request.actor}`, pid: identity.pid, hostname: identity.hostname }, { ...(request.onWait ? { onWait: request.onWait } : {}) });
  if (environmentDriver(environment.settings) === "swarm") {
    await swarmDown(await app.deps(), { project: name, environment: environment.name, volumes: request.volumes ?? false }, say);
    await retireReleases(app, env.environmentId);
    return;
  }

  // The route first, so that no request reaches a container about to go.
  const remaining = await withRouterLock(paths.router, async () => {
    const registry = updateRegistry(paths.router, (r) => withEnvironmentRoutes(r, name, environment.name, []));
    const routes = routerRoutes(registry);
    // Its certificate is served no more, and no longer renewed.
    const certificate = certificateName(name, environment.name);
    if (routes.length > 0) await router.ensure(routes);
    else await router.remove();
    await router.removeCertificate(certificate);
    removeRecord(paths.home, certificate);
    return routes;
  });
  say(remaining.length > 0 ? "route removed from the router" : "router removed (no route left on this host)");

  const containers = await engine.containers({ [LABEL.project]: name, [LABEL.environment]: environment.name });
  const projects = new Set(containers.map((c) => c.labels["com.docker.compose.project"]).filter((p): p is string => p !== undefined));
  projects.add(accessoriesProjectName(name, environment.name));
  for (const projectName of projects) {
    await composeDown(compose, { projectName, files: [], projectDirectory: env.project.dir });
    say(`removed ${projectName}`);
  }
  // Release networks that outlived their containers (a release task's run, a failed start).
  for (const network of await engine.removeNetworks({ [LABEL.project]: name, [LABEL.environment]: environment.name })) say(`removed network ${network}`);
  await engine.removeNetwork(environmentNetworkName(name, environment.name));
  if (request.volumes) {
    for (const volume of await engine.volumes({ [LABEL.project]: name, [LABEL.environment]: environment.name })) {
      await engine.removeVolume(volume);
      say(`removed volume ${volume}`);
    }
  } else {
    say("named volumes kept");
  }
  // Under the lock no deployment runs: an env file still on disk holds values for no one.
  removeEnvFiles(paths, { project: name, environment: environment.name });
  await retireReleases(app, env.environmentId);
}

async function retireReleases(app: App, environmentId: number): Promise<void> {
  const { store } = await app.deps();
  for (const release of await store.releases(environmentId)) {
    if (release.status === "live" || release.status === "superseded") await store.setReleaseStatus(release.id, "retired");
  }
}
