/**
 * Down of a swarm environment: every service of its stacks (releases and accessories), then its
 * routes leave the swarm router (the router and its network go with the last one), then their networks and
 * the environment's overlay network; named volumes only when asked, and only this node's:
 * a volume on another node is that node's engine's to remove.
 */
import { environmentNetworkName, LABEL } from "../plan/naming.js";
import type { DeployDeps } from "../pipeline/deploy-run.js";
import { withRouterLock } from "../pipeline/router-lock.js";
import { readSwarmRoutes, withSwarmRoutes, writeSwarmRoutes } from "../pipeline/swarm/route-table.js";
import { containersGone } from "../pipeline/swarm/stack-steps.js";
import { SlipwayError } from "../core/errors.js";
import { removeRecord } from "../pipeline/certificate-records.js";
import { certificateName } from "../plan/tls.js";

export async function swarmDown(deps: DeployDeps, target: { project: string; environment: string; volumes: boolean }, say: (text: string) => void): Promise<void> {
  const { stacks, swarmRouter, engine, paths } = deps;
  if (!stacks || !swarmRouter) throw new SlipwayError("E_INTERNAL", "no swarm manager was given to take the environment down");
  const { project, environment } = target;
  const labels = { [LABEL.project]: project, [LABEL.environment]: environment };
  const services = await stacks.services(labels);
  await stacks.removeServices(services.map((s) => s.id));
  for (const service of services) say(`removed service ${service.name}`);
  await withRouterLock(paths.router, async () => {
    const table = withSwarmRoutes(readSwarmRoutes(paths.router), project, environment, []);
    if (table.length > 0) await swarmRouter.ensure(table);
    else await swarmRouter.remove();
    writeSwarmRoutes(paths.router, table);
    // Its certificate is served no more, and no longer renewed.
    const certificate = certificateName(project, environment);
    await swarmRouter.certificates.removeCertificate(certificate);
    removeRecord(paths.home, certificate);
    say(table.length > 0 ? "routes removed from the swarm router" : "swarm router removed (no route left)");
  });
  // The stacks' own networks, then the environment's, once their tasks have left them.
  await stacks.removeNetworks(labels, 60_000);
  say(`removed network ${environmentNetworkName(project, environment)} and the releases' networks`);
  if (target.volumes) {
    // A volume is in use until the removed services' containers have gone (a minute at most: then its removal says so).
    await containersGone(engine, deps.clock, labels, 60_000);
    for (const volume of await engine.volumes(labels)) {
      await engine.removeVolume(volume);
      say(`removed volume ${volume} (this node's; other nodes keep theirs)`);
    }
  } else {
    say("named volumes kept");
  }
}
