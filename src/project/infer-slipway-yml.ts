/**
 * What `slipway init` writes: the project's inferred settings, with the files chosen and why,
 * and data stores that build from a Dockerfile proposed as accessories.
 */
import type { ComposeModel } from "../plan/compose-model.js";
import { dataStores } from "./data-stores.js";
import type { LoadedProject } from "./load-project.js";
import { renderSlipwayYml } from "./render-slipway-yml.js";
import { resolveModel } from "./resolve-project.js";

export function inferSlipwayYml(project: LoadedProject, composed: ComposeModel): string {
  const first = resolveModel(project, composed);
  const stores = dataStores(first.model, first.classification);
  const accessories = Object.fromEntries(Object.keys(stores).map((name) => [name, { role: "accessory" as const }]));
  // Classified again as slipway.yml will say: an accessory publishes no route, builds no release image.
  const config = { ...project.config, services: { ...project.config.services, ...accessories } };
  const resolved = Object.keys(stores).length === 0 ? first : resolveModel({ ...project, config }, composed);
  const services = resolved.classification.services.map((s) => (Object.hasOwn(stores, s.name) ? { ...s, reason: stores[s.name] ?? s.reason } : s));
  return renderSlipwayYml({
    project: project.name,
    composeFiles: project.composeFiles,
    composeReason: project.composeReason,
    ...(project.profiles ? { profiles: project.profiles, profilesReason: project.profilesReason } : {}),
    environment: project.environment.name,
    classification: { ...resolved.classification, services },
  });
}
