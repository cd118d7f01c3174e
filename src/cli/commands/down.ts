/** `slipway down`: the environment's releases, accessories and route go; named volumes only with --volumes. */
import { LABEL, accessoriesProjectName, environmentNetworkName } from "../../plan/naming.js";
import { updateRegistry, withEnvironmentRoutes } from "../../pipeline/route-registry.js";
import { withRouterLock } from "../../pipeline/router-lock.js";
import { routerRoutes } from "../../pipeline/router-sync.js";
import type { CommandContext } from "../context.js";
import { openEnvironment } from "./environment.js";
import type { ProjectFlags } from "./load.js";

export async function runDown(ctx: CommandContext, flags: ProjectFlags & { volumes?: boolean }): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const { store, engine, compose, router, paths } = env.runtime.deps;
  const { name, environment } = env.project;
  await using _lock = await store.acquireLock(env.environmentId, { description: `slipway down by ${ctx.io.env.USER ?? "?"}`, pid: process.pid }, { onWait: (holder) => ctx.io.stderr(`waiting: the environment is locked by ${holder}\n`) });
  const say = (text: string): void => ctx.io.stderr(`${text}\n`);

  // The route first, so that no request reaches a container about to go.
  const remaining = await withRouterLock(paths.router, async () => {
    const registry = updateRegistry(paths.router, (r) => withEnvironmentRoutes(r, name, environment.name, []));
    const routes = routerRoutes(registry);
    if (routes.length > 0) await router.ensure(routes);
    else await router.remove();
    return routes;
  });
  say(remaining.length > 0 ? "route removed from the router" : "router removed (no route left on this host)");

  const containers = await engine.containers({ [LABEL.project]: name, [LABEL.environment]: environment.name });
  const projects = new Set(containers.map((c) => c.labels["com.docker.compose.project"]).filter((p): p is string => p !== undefined));
  projects.add(accessoriesProjectName(name, environment.name));
  for (const projectName of projects) {
    await compose.exec({ projectName, files: [], projectDirectory: env.project.dir }, ["down", "--remove-orphans"]);
    say(`removed ${projectName}`);
  }
  // Release networks that outlived their containers (a release task's run, a failed start).
  for (const network of await engine.removeNetworks({ [LABEL.project]: name, [LABEL.environment]: environment.name })) say(`removed network ${network}`);
  await engine.removeNetwork(environmentNetworkName(name, environment.name));
  if (flags.volumes) {
    for (const volume of await engine.volumes({ [LABEL.project]: name, [LABEL.environment]: environment.name })) {
      await engine.removeVolume(volume);
      say(`removed volume ${volume}`);
    }
  } else {
    say("named volumes kept (slipway down --volumes removes them)");
  }
  for (const release of await store.releases(env.environmentId)) {
    if (release.status === "live" || release.status === "superseded") await store.setReleaseStatus(release.id, "retired");
  }
  return 0;
}
