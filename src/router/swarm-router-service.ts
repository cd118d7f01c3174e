/**
 * The Swarm router's service spec, as data: HAProxy as one task on the node Slipway runs on,
 * its route ports published in mode host, on the edge overlay network, its config and admin
 * socket in host directories. The spec's hash goes into a label, so that "is the running
 * service this spec?" is a label comparison and an unchanged router is never restarted.
 *
 * One node only, for now: the admin socket is a unix socket in a directory of that node, which
 * only a Slipway on the same node can reach. More edge nodes (a `slipway.edge=true` label, mode
 * global) are a later step: each needs its own way in to the runtime API.
 */
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { IN_CONTAINER } from "./router-container.js";

export interface SwarmRouterServiceInput {
  readonly name: string;
  readonly image: string;
  /** The node that runs the router: the manager Slipway runs on. */
  readonly nodeId: string;
  readonly network: string;
  /** Host directories on that node: config (read-only in the task) and admin socket. */
  readonly etcDir: string;
  readonly runDir: string;
  readonly ports: readonly number[];
  readonly labels: Readonly<Record<string, string>>;
}

export const SPEC_LABEL = "slipway.router.spec";

export function swarmRouterServiceSpec(input: SwarmRouterServiceInput): Docker.CreateServiceOptions {
  const labels = { ...input.labels, "slipway.managed": "true", "slipway.role": "router" };
  const spec = {
    Name: input.name,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: input.image,
        // Explicit: the official image's entry point script would rewrite the arguments.
        // -W master-worker (a SIGUSR2 reloads in place), -db in the foreground.
        Command: ["haproxy", "-W", "-db", "-f", IN_CONTAINER.configFile],
        // Root: to create the admin socket in a directory of ours and bind ports below 1024.
        User: "0:0",
        // An init as PID 1 forwards signals (a stop, a reload) to HAProxy's master.
        Init: true,
        Labels: labels,
        StopGracePeriod: 10_000_000_000,
        Mounts: [
          // Directories, not files: an atomic rename of a new haproxy.cfg stays visible.
          { Type: "bind", Source: input.etcDir, Target: IN_CONTAINER.configDir, ReadOnly: true },
          { Type: "bind", Source: input.runDir, Target: IN_CONTAINER.runDir },
        ],
      },
      Placement: { Constraints: [`node.id==${input.nodeId}`] },
      RestartPolicy: { Condition: "any", Delay: 1_000_000_000 },
      Networks: [{ Target: input.network }],
    },
    Mode: { Replicated: { Replicas: 1 } },
    // A host-mode port can be bound by one task at a time: stop the old before the new starts.
    UpdateConfig: { Parallelism: 1, Order: "stop-first" },
    EndpointSpec: {
      Mode: "dnsrr",
      Ports: [...input.ports].sort((a, b) => a - b).map((port) => ({ Protocol: "tcp", TargetPort: port, PublishedPort: port, PublishMode: "host" })),
    },
  };
  const hash = createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
  return { ...spec, Labels: { ...labels, [SPEC_LABEL]: hash } } as Docker.CreateServiceOptions;
}

export const specHash = (spec: Docker.CreateServiceOptions): string => spec.Labels?.[SPEC_LABEL] ?? "";
