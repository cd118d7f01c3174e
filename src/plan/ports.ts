/**
 * The host ports of routed containers. Each is published on 127.0.0.1 at a port Slipway chooses
 * and writes into the release's compose file, not at one the engine picks: the engine picks an
 * ephemeral port again at every start, so after a restart of dockerd the router's addresses
 * would point at nothing (or at someone else). A release's ports differ from every other
 * container's, and stay its own across restarts.
 */
import { createHash } from "node:crypto";
import type { ReleasePlan } from "./plan-release.js";

type Json = Record<string, unknown>;

/**
 * Below Linux's ephemeral range (32768–60999 by default), where the kernel never hands a port to
 * an outgoing connection: a port freed while its container restarts cannot be taken meanwhile
 * by, say, one of the router's own connections.
 */
export const PORT_RANGE = { first: 20000, last: 32767 } as const;

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** One routed container port of a service, and how many host ports its replicas need. */
export interface PortNeed {
  readonly key: string;
  readonly service: string;
  readonly target: number;
  readonly count: number;
}

export const portKey = (service: string, target: number): string => `${service}:${target}`;

/** How many containers compose starts for the service (`scale`, else `deploy.replicas`, else 1). */
export function replicasOf(service: Json): number {
  const replicas = typeof service.scale === "number" ? service.scale : (service.deploy as Json | undefined)?.replicas;
  return typeof replicas === "number" && Number.isInteger(replicas) && replicas > 0 ? replicas : 1;
}

const releaseServices = (plan: ReleasePlan): Record<string, Json> => (plan.files.release.content.services ?? {}) as Record<string, Json>;

/** The routed ports of the release that have no host port yet, sorted by key. */
export function portNeeds(plan: ReleasePlan): PortNeed[] {
  return Object.entries(releaseServices(plan))
    .flatMap(([service, body]) =>
      ((body.ports ?? []) as Json[])
        .filter((p) => p.host_ip === "127.0.0.1" && p.published === undefined && typeof p.target === "number")
        .map((p) => ({ key: portKey(service, p.target as number), service, target: p.target as number, count: replicasOf(body) })),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The plan with each routed port published at its chosen first port (a range "P-Q" for replicas). */
export function publishPorts(plan: ReleasePlan, ports: Readonly<Record<string, number>>): ReleasePlan {
  const services = Object.fromEntries(
    Object.entries(releaseServices(plan)).map(([service, body]) => {
      if (!Array.isArray(body.ports)) return [service, body];
      const count = replicasOf(body);
      const published = (body.ports as Json[]).map((p) => {
        const first = typeof p.target === "number" ? ports[portKey(service, p.target)] : undefined;
        if (first === undefined || p.published !== undefined) return p;
        return { ...p, published: count > 1 ? `${first}-${first + count - 1}` : String(first) };
      });
      return [service, { ...body, ports: published }];
    }),
  );
  const release = { ...plan.files.release, content: { ...plan.files.release.content, services } };
  return { ...plan, files: { ...plan.files, release } };
}

/**
 * Every first port a need may take, in the order to try them: from a point that the seed (the
 * release and the port) decides, around the range. Two environments deploying at once thus
 * start far apart instead of racing for the lowest free port.
 */
export function* probeOrder(seed: string, count: number, range: PortRange = PORT_RANGE): Generator<number> {
  const size = range.last - range.first + 1 - (count - 1);
  if (size <= 0) return;
  const start = createHash("sha256").update(seed).digest().readUInt32BE(0) % size;
  for (let i = 0; i < size; i++) yield range.first + ((start + i) % size);
}
