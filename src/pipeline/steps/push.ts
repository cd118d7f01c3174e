/**
 * On a swarm, part of the build: every app service's image named `<registry>/<service>:<tag>`
 * and pushed, so that every node can pull it; the digest the registry gave is logged and kept
 * in the store with the build (a swarm service runs `image@digest`). A reused build whose tags
 * the registry still has at the digests recorded is not pushed again.
 */
import { environmentDriver } from "../../config/environment-driver.js";
import { SlipwayError } from "../../core/errors.js";
import type { RegistryManifests } from "../../adapters/registry-manifests.js";
import { registryLogin, registryReference, repositoryOf, type RegistryLogin } from "../../plan/registry-images.js";
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

/** Whether the registry's tag still names the digest recorded for it (a registry that fails to answer: no). */
async function stillPushed(manifests: RegistryManifests | undefined, registry: string, reference: string, digest: string): Promise<boolean> {
  if (manifests === undefined) return false;
  const { repository, tag } = repositoryOf(reference, registry);
  return (await manifests.digestOf(repository, tag).catch(() => undefined)) === digest;
}

/**
 * Each app service's image tagged and pushed, its digest recorded with the build. An image the
 * store says was pushed under this reference, and whose tag the registry still gives that digest,
 * is not pushed again (a rollback or promotion of a build pushed before).
 */
export async function pushImages(run: BuildRun, registry: string): Promise<PushedImage[]> {
  const login = loginOf(run);
  const push = run.deps.pushImage;
  if (!push) throw new SlipwayError("E_INTERNAL", "no way to push images was given to this deployment");
  const { buildId } = run;
  const recorded = buildId === undefined ? [] : await run.deps.store.pushedImages(buildId);
  const manifests = recorded.length > 0 ? run.deps.registryManifests?.(registry, login) : undefined;
  const pushed: PushedImage[] = [];
  for (const [service, image] of Object.entries(run.plan.images)) {
    const reference = registryReference(registry, service, run.request.tag);
    await run.deps.engine.tagImage(image, reference);
    const imageId = (await run.deps.engine.image(image))?.id;
    const known = recorded.find((r) => r.reference === reference && r.imageId === imageId);
    if (known !== undefined && (await stillPushed(manifests, registry, reference, known.digest))) {
      pushed.push({ service, reference, digest: known.digest });
      run.log("build", "info", `${reference} is in the registry already (${known.digest}): not pushed again`);
      continue;
    }
    let digest: string;
    try {
      digest = await push(reference, login);
    } catch (error) {
      throw new SlipwayError("E_REGISTRY_UNREACHABLE", `pushing ${reference} failed (${(error as Error).message}): check that the registry answers and takes these credentials (slipway check): a registry that wants a login needs registry_login in slipway.yml`, { cause: error });
    }
    pushed.push({ service, reference, digest });
    run.log("build", "info", `pushed ${reference} (${digest})`);
    if (buildId !== undefined && imageId !== undefined) await run.deps.store.recordPushed({ buildId, service, reference, imageId, digest });
  }
  return pushed;
}
