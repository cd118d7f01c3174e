/**
 * How many tasks each app service runs on a swarm: slipway.yml's `replicas:` of the environment,
 * else compose's own `deploy.replicas`, else 1. A name in `replicas:` that is no app service is
 * a problem (a typo would otherwise run one task where three were meant).
 */
import type { ComposeModel } from "./compose-model.js";

export interface SwarmReplicas {
  readonly replicas: Readonly<Record<string, number>>;
  readonly problems: readonly string[];
}

function composeReplicas(model: ComposeModel, service: string): number | undefined {
  const deploy = model.services[service]?.deploy as { replicas?: unknown } | undefined;
  return typeof deploy?.replicas === "number" ? deploy.replicas : undefined;
}

export function swarmReplicas(model: ComposeModel, appServices: readonly string[], configured: Readonly<Record<string, number>> = {}): SwarmReplicas {
  const replicas = Object.fromEntries(appServices.map((service) => [service, configured[service] ?? composeReplicas(model, service) ?? 1]));
  const problems = Object.keys(configured)
    .filter((service) => !appServices.includes(service))
    .map((service) => `replicas.${service}: no app service is named ${service} (app services: ${appServices.join(", ") || "none"})`);
  return { replicas, problems };
}
