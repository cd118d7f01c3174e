/**
 * Accessories as a person sees them: each with its image, state and health, and how what runs
 * differs from what the compose files say now (a deploy never recreates one, so a change waits
 * here until `slipway accessories up` recreates it).
 */
import type { ContainerState } from "../adapters/docker-engine.js";
import { accessoryDrift, plannedAccessory, runningAccessory } from "../plan/accessory-drift.js";
import { LABEL } from "../plan/naming.js";
import type { ReleasePlan } from "../plan/plan-release.js";
import { serviceVariables } from "../plan/runtime-variables.js";
import { planProject, type ResolvedProject } from "../project/resolve-project.js";
import type { App } from "./app.js";
import { resolveOrThrow, type ProjectRequest } from "./project.js";

type Json = Record<string, unknown>;

export interface AccessoryStatus {
  readonly name: string;
  /** The image the compose files name (what runs, for one no longer in them). */
  readonly image: string;
  /** Its container; none when it does not exist (a deploy starts it). */
  readonly container?: { readonly name: string; readonly id: string; readonly state: string; readonly health?: string };
  /** False for an accessory that runs but is no longer in the compose files. */
  readonly inFiles: boolean;
  /** Every way what runs differs from what the files say now; empty when it matches. */
  readonly drift: readonly string[];
}

export interface AccessoriesReport {
  readonly project: string;
  readonly environment: string;
  readonly accessories: readonly AccessoryStatus[];
}

/** Today's accessories file, planned from the compose files as the next deploy would plan it. */
export interface PlannedAccessories {
  readonly resolved: ResolvedProject;
  readonly plan: ReleasePlan;
  /** Where the accessories file and, while compose starts one, its env file go. */
  readonly dir: string;
  readonly services: Readonly<Record<string, Json>>;
}

/** The accessories' own planned files sit beside the releases', in a directory of their own. */
export const ACCESSORIES = "accessories";

export async function planAccessories(app: App, request: ProjectRequest): Promise<PlannedAccessories> {
  const resolved = await resolveOrThrow(app, request);
  const { name, environment } = resolved.project;
  const dir = app.paths.release(name, environment.name, ACCESSORIES);
  // Only the accessories file of this plan is used: its release name is a placeholder.
  const plan = planProject(resolved, ACCESSORIES, { envDir: dir });
  return { resolved, plan, dir, services: (plan.files.accessories.content.services ?? {}) as Record<string, Json> };
}

export function accessoryLabels(project: string, environment: string, service?: string): Record<string, string> {
  return { [LABEL.project]: project, [LABEL.environment]: environment, [LABEL.release]: ACCESSORIES, ...(service ? { [LABEL.service]: service } : {}) };
}

/** Compose's name for the image of a service that names none (one it builds). */
function imageOf(planned: PlannedAccessories, name: string): string {
  const image = planned.services[name]?.image;
  return typeof image === "string" ? image : `${planned.plan.files.accessories.projectName}-${name}`;
}

function shownContainer(c: ContainerState): NonNullable<AccessoryStatus["container"]> {
  return { name: c.name, id: c.id, state: c.status, ...(c.health ? { health: c.health } : {}) };
}

export async function accessoryStatus(app: App, planned: PlannedAccessories, name: string, container: ContainerState | undefined): Promise<AccessoryStatus> {
  const service = planned.services[name];
  if (!service) {
    const spec = container ? await app.engine.containerSpec(container.id) : undefined;
    return { name, image: spec?.image ?? "", ...(container ? { container: shownContainer(container) } : {}), inFiles: false, drift: ["no longer in the compose files"] };
  }
  const image = imageOf(planned, name);
  if (!container) return { name, image, inFiles: true, drift: [] };
  const [spec, defaults] = await Promise.all([app.engine.containerSpec(container.id), app.engine.image(image)]);
  const want = plannedAccessory({
    service,
    volumes: (planned.plan.files.accessories.content.volumes ?? {}) as Record<string, { name?: string } | null>,
    variables: serviceVariables(planned.resolved.model.services[name]?.environment),
    image: defaults,
    defaultImage: image,
  });
  const drift = spec ? accessoryDrift(want, runningAccessory(spec)) : [];
  return { name, image, container: shownContainer(container), inFiles: true, drift };
}

/** The first container of each accessory (replicas are rare, and alike). */
export async function accessoryContainers(app: App, project: string, environment: string): Promise<Map<string, ContainerState>> {
  const containers = await app.engine.containers(accessoryLabels(project, environment));
  const byService = new Map<string, ContainerState>();
  for (const c of containers) {
    const service = c.labels[LABEL.service];
    if (!service) continue;
    // A running one first: on a swarm, a replaced task's container stays a while, exited.
    const seen = byService.get(service);
    if (!seen || (seen.status !== "running" && c.status === "running")) byService.set(service, c);
  }
  return byService;
}

export async function accessories(app: App, request: ProjectRequest): Promise<AccessoriesReport> {
  const planned = await planAccessories(app, request);
  const { name: project, environment } = planned.resolved.project;
  const running = await accessoryContainers(app, project, environment.name);
  const names = [...new Set([...Object.keys(planned.services), ...running.keys()])];
  return { project, environment: environment.name, accessories: await Promise.all(names.map((name) => accessoryStatus(app, planned, name, running.get(name)))) };
}
