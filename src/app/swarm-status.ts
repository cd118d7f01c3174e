/**
 * Status of a swarm environment: its nodes, and each service of its stacks (the live release,
 * a kept one, the accessories) with its tasks per node. A node that is not ready, or a live
 * service with fewer running tasks than it asks for, is a problem.
 */
import { LABEL } from "../plan/naming.js";
import type { App } from "./app.js";

export interface SwarmTaskStatus {
  readonly node: string;
  readonly state: string;
  readonly error?: string;
}

export interface SwarmServiceStatus {
  readonly name: string;
  readonly release: string;
  readonly replicas: number;
  /** Tasks Swarm wants running, wherever they are now. */
  readonly tasks: readonly SwarmTaskStatus[];
}

export interface SwarmStatus {
  readonly nodes: ReadonlyArray<{ readonly hostname: string; readonly state: string; readonly availability: string }>;
  readonly services: readonly SwarmServiceStatus[];
}

export async function swarmStatus(app: App, project: string, environment: string): Promise<SwarmStatus> {
  const [nodes, services] = await Promise.all([app.swarm.nodes(), app.stacks.services({ [LABEL.project]: project, [LABEL.environment]: environment })]);
  const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  return {
    nodes: nodes.map((n) => ({ hostname: n.hostname, state: n.state, availability: n.availability })),
    services: await Promise.all(
      services.map(async (service) => {
        const tasks = (await app.stacks.tasks(service.id)).filter((t) => t.desiredState === "running");
        return {
          name: service.name,
          release: service.labels[LABEL.release] ?? "",
          replicas: service.replicas,
          tasks: tasks.map((t) => ({ node: hostnames.get(t.nodeId) ?? (t.nodeId || "(not placed)"), state: t.state, ...(t.error ? { error: t.error } : {}) })),
        };
      }),
    ),
  };
}

/** What is wrong on the swarm for the live release (`live`, its name) and the accessories. */
export function swarmDrift(status: SwarmStatus, live: string | undefined): string[] {
  const drift: string[] = [];
  for (const node of status.nodes.filter((n) => n.state !== "ready")) drift.push(`node ${node.hostname} is ${node.state}: Swarm moves its tasks to the other nodes`);
  for (const service of status.services.filter((s) => s.release === live || s.release === "accessories")) {
    const running = service.tasks.filter((t) => t.state === "running").length;
    if (running < service.replicas) {
      const others = service.tasks.filter((t) => t.state !== "running").map((t) => `${t.state} on ${t.node}${t.error ? ` (${t.error})` : ""}`);
      drift.push(`${service.name}: ${running} of ${service.replicas} tasks running${others.length > 0 ? `; ${others.join(", ")}` : ""}`);
    }
  }
  return drift;
}
