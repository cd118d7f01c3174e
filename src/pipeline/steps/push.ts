/**
 * On a swarm, part of the build: every app service's image named `<registry>/<service>:<tag>`
 * and pushed, so that every node can pull it; the digest the registry gave is logged with it
 * (a swarm service will run `image@digest`). Pushed again when the build was reused: a push of
 * what the registry has already costs one round trip per layer.
 */
import { environmentDriver } from "../../config/environment-driver.js";
import { SlipwayError } from "../../core/errors.js";
import { registryReference } from "../../plan/registry-images.js";
import type { BuildRun, PushedImage } from "../deploy-run.js";

/** The registry the environment's images go to; undefined for a single-host environment. */
export function pushTarget(run: Pick<BuildRun, "request">): string | undefined {
  const settings = run.request.resolved.project.environment.settings;
  return environmentDriver(settings) === "swarm" ? settings?.registry : undefined;
}

export async function pushImages(run: BuildRun, registry: string): Promise<PushedImage[]> {
  const push = run.deps.pushImage;
  if (!push) throw new SlipwayError("E_INTERNAL", "no way to push images was given to this deployment");
  const pushed: PushedImage[] = [];
  for (const [service, image] of Object.entries(run.plan.images)) {
    const reference = registryReference(registry, service, run.request.tag);
    await run.deps.engine.tagImage(image, reference);
    try {
      const digest = await push(reference);
      pushed.push({ service, reference, digest });
      run.log("build", "info", `pushed ${reference} (${digest})`);
    } catch (error) {
      throw new SlipwayError("E_REGISTRY_UNREACHABLE", `pushing ${reference} failed (${(error as Error).message}): check that the registry answers (slipway check) and that this engine is logged in to it`, { cause: error });
    }
  }
  return pushed;
}
