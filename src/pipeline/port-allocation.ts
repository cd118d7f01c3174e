/**
 * Chooses the host ports of a release's routed containers (see plan/ports.ts): the release's own
 * ports again when its containers exist (a rollback that starts a kept release), else free ones:
 * held by no container (running or stopped), named by no route of the router, bound by nothing.
 */
import { canBindLoopback } from "../adapters/host-ports.js";
import { SlipwayError } from "../core/errors.js";
import { LABEL } from "../plan/naming.js";
import { PORT_RANGE, portKey, portNeeds, probeOrder, type PortNeed, type PortRange } from "../plan/ports.js";
import type { DeployRun } from "./deploy-run.js";
import { readRegistry, type Registry } from "./route-registry.js";

export interface PortChoice {
  readonly needs: readonly PortNeed[];
  /** Ports already the release's own, by need key. */
  readonly own: Readonly<Record<string, number>>;
  readonly taken: ReadonlySet<number>;
  /** Where to start looking for each need. */
  readonly seed: string;
  readonly range?: PortRange;
  readonly isFree: (port: number) => Promise<boolean>;
}

/** First port per need key: consecutive free ports, one per replica. */
export async function choosePorts(choice: PortChoice): Promise<Record<string, number>> {
  const chosen: Record<string, number> = {};
  const used = new Set(choice.taken);
  for (const need of choice.needs) {
    const own = choice.own[need.key];
    const first = own ?? (await firstFree(need, choice, used));
    if (first === undefined) {
      const range = choice.range ?? PORT_RANGE;
      throw new SlipwayError("E_START_FAILED", `no ${need.count} free port${need.count === 1 ? "" : "s"} in a row left in ${range.first}-${range.last} on 127.0.0.1 for ${need.key}: free some (slipway prune removes stopped releases)`);
    }
    chosen[need.key] = first;
    for (let i = 0; i < need.count; i++) used.add(first + i);
  }
  return chosen;
}

async function firstFree(need: PortNeed, choice: PortChoice, used: ReadonlySet<number>): Promise<number | undefined> {
  for (const first of probeOrder(`${choice.seed}/${need.key}`, need.count, choice.range)) {
    const ports = Array.from({ length: need.count }, (_, i) => first + i);
    if (ports.some((port) => used.has(port))) continue;
    if ((await Promise.all(ports.map(choice.isFree))).every(Boolean)) return first;
  }
  return undefined;
}

/** The ports the router's routes name: listen ports and servers' addresses, of every environment. */
export function registryPorts(registry: Registry): number[] {
  return Object.values(registry).flatMap((backend) => [backend.listen, ...backend.servers.map((s) => Number(/:(\d+)$/.exec(s.address)?.[1]))]).filter((port) => Number.isInteger(port) && port > 0);
}

export async function allocatePorts(run: DeployRun): Promise<Record<string, number>> {
  const needs = portNeeds(run.plan);
  if (needs.length === 0) return {};
  const { project, environment } = run.plan;
  const release = run.release.runsAs;
  const mine = (labels: Readonly<Record<string, string>>): boolean => labels[LABEL.project] === project && labels[LABEL.environment] === environment && labels[LABEL.release] === release;
  const own: Record<string, number> = {};
  const taken = new Set(registryPorts(readRegistry(run.deps.paths.router)));
  for (const claim of await run.deps.engine.claimedPorts()) {
    if (!mine(claim.labels)) {
      taken.add(claim.hostPort);
      continue;
    }
    const key = portKey(claim.labels[LABEL.service] ?? "", claim.containerPort);
    own[key] = Math.min(own[key] ?? claim.hostPort, claim.hostPort);
  }
  // A port of the release's own that the registry names is the release's: not taken from it.
  for (const port of Object.values(own)) taken.delete(port);
  return choosePorts({ needs, own, taken, seed: `${project}/${environment}/${release}`, isFree: canBindLoopback });
}
