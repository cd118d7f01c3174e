/**
 * On a swarm, part of the build: every app service's image named `<registry>/<service>:<tag>`
 * and pushed, so that every node can pull it; the digest the registry gave is logged with it
 * (a swarm service will run `image@digest`). Pushed again when the build was reused: a push of
 * what the registry has already costs one round trip per layer.
 */
import { environmentDriver } from "../../config/environment-driver.js";
import { SlipwayError } from "../../core/errors.js";
import { registryLogin, registryReference, type RegistryLogin } from "../../plan/registry-images.js";
import type { LoadedProject } from "../../project/load-project.js";
import type { BuildRun, DeployDeps, PushedImage } from "../deploy-run.js";
import type { PruneOptions } from "../prune.js";

type ProjectFacts = Pick<LoadedProject, "environment" | "variables">;

/** The registry the environment's images go to; undefined for a single-host environment. */
export function pushTarget(run: Pick<BuildRun, "request">): string | undefined {
  return registryOfProject(run.request.resolved.project);
}

function registryOfProject(project: ProjectFacts): string | undefined {
  const settings = project.environment.settings;
  return environmentDriver(settings) === "swarm" ? settings?.registry : undefined;
}

/** The registry's credentials, when the environment gives registry_login. */
export function loginOf(run: Pick<BuildRun, "request">): RegistryLogin | undefined {
  return registryLogin(run.request.resolved.project);
}

/** What retention deletes from for a swarm environment: its registry, asked with its login; undefined for one host. */
export function registryToPrune(project: ProjectFacts, open: DeployDeps["registryManifests"]): PruneOptions["registry"] {
  const registry = registryOfProject(project);
  if (registry === undefined || !open) return undefined;
  return { name: registry, manifests: open(registry, registryLogin(project)) };
}

export async function pushImages(run: BuildRun, registry: string): Promise<PushedImage[]> {
  const login = loginOf(run);
  const push = run.deps.pushImage;
  if (!push) throw new SlipwayError("E_INTERNAL", "no way to push images was given to this deployment");
  const pushed: PushedImage[] = [];
  for (const [service, image] of Object.entries(run.plan.images)) {
    const reference = registryReference(registry, service, run.request.tag);
    await run.deps.engine.tagImage(image, reference);
    try {
      const digest = await push(reference, login);
      pushed.push({ service, reference, digest });
      run.log("build", "info", `pushed ${reference} (${digest})`);
    } catch (error) {
      throw new SlipwayError("E_REGISTRY_UNREACHABLE", `pushing ${reference} failed (${(error as Error).message}): check that the registry answers and takes these credentials (slipway check): a registry that wants a login needs registry_login in slipway.yml`, { cause: error });
    }
  }
  return pushed;
}
