/** Which earlier release a rollback returns to, and whether its images are still here. */
import type { Engine } from "../adapters/docker-engine.js";
import { SlipwayError } from "../core/errors.js";
import type { Classification } from "../plan/classify.js";
import { releaseImages } from "../plan/plan-release.js";
import type { ReleaseWithDeployment } from "../store/store.js";

/** The release to go back to: the one named, else the last one before the live one that was live. */
export function chooseTarget(releases: readonly ReleaseWithDeployment[], requested: string | undefined, environment: string): ReleaseWithDeployment {
  const live = releases.find((r) => r.status === "live");
  if (!live) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${environment}, so there is nothing to roll back`);
  if (requested === undefined) {
    const previous = releases.find((r) => r.number < live.number && (r.status === "superseded" || r.status === "retired"));
    if (!previous) throw new SlipwayError("E_NOT_FOUND", `v${live.number} is the first release of ${environment} that went live: there is no earlier one to roll back to`);
    return previous;
  }
  const number = /^v?(\d+)$/.exec(requested)?.[1];
  const target = number === undefined ? undefined : releases.find((r) => r.number === Number(number));
  if (!target) throw new SlipwayError("E_NOT_FOUND", `${environment} has no release ${requested}`, { hint: { action: "list-releases" } });
  if (target.id === live.id) throw new SlipwayError("E_USAGE", `v${target.number} is already live`);
  if (target.status === "failed" || target.status === "pending") {
    throw new SlipwayError("E_NOT_FOUND", `v${target.number} never went live (its deployment ${target.status === "failed" ? "failed" : "did not finish"}): pick another one`, { hint: { action: "list-releases" } });
  }
  return target;
}

/** The images a release of this build would run that the engine no longer has. */
export async function missingImages(engine: Engine, project: string, classification: Classification, tag: string): Promise<string[]> {
  const images = [...new Set(Object.values(releaseImages(classification, project, tag)))];
  const present = await Promise.all(images.map((image) => engine.image(image)));
  return images.filter((_, i) => present[i] === undefined);
}
