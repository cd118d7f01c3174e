/** The Swarm router's options, and the handle the switch and the reads work on. */
import type Docker from "dockerode";
import { join, resolve } from "node:path";
import { createSwarmServices, type SwarmServices } from "../adapters/swarm-services.js";
import { systemClock, type Clock } from "../core/clock.js";
import { RouterError } from "./router-error.js";
import { DEFAULT_WEB_PORTS, type WebPorts } from "./render-config.js";
import { runtimeCommand, type RuntimeOptions } from "./runtime-api.js";

export interface SwarmRouterOptions {
  readonly docker: () => Promise<Docker>;
  /** Host directory on this node for the config (etc/) and the admin socket (run/). */
  readonly home: string;
  readonly name?: string;
  readonly network?: string;
  readonly image?: string;
  /** Extra labels on the service, its tasks and the network (tests mark theirs). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly clock?: Clock;
  /** Ports that routes with host names share (default 80 and 443), published on the router's node. */
  readonly web?: WebPorts;
}

/** A handle on the router service: what the switch and the reads need. */
export interface SwarmRouter {
  readonly name: string;
  readonly network: string;
  readonly socket: string;
  readonly etcDir: string;
  readonly clock: Clock;
  readonly services: SwarmServices;
  readonly web: WebPorts;
  readonly command: (line: string, options?: RuntimeOptions) => Promise<string>;
}

export const DEFAULT_SWARM_ROUTER = "slipway-router";
export const DEFAULT_EDGE_NETWORK = "slipway-edge";

export function swarmRouter(options: SwarmRouterOptions): SwarmRouter {
  const home = resolve(options.home);
  const socket = join(home, "run", "admin.sock");
  if (Buffer.byteLength(socket) > 107) throw new RouterError("E_ROUTER_CONFIG", `the router's socket path ${socket} is too long for a unix socket: use a shorter home`);
  return {
    name: options.name ?? DEFAULT_SWARM_ROUTER,
    network: options.network ?? DEFAULT_EDGE_NETWORK,
    socket,
    etcDir: join(home, "etc"),
    clock: options.clock ?? systemClock,
    services: createSwarmServices(options.docker),
    web: options.web ?? DEFAULT_WEB_PORTS,
    command: (line, runtime) => runtimeCommand(socket, line, runtime),
  };
}
