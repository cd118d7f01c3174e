/**
 * The Docker engine, through its API (dockerode): the only way Slipway observes what runs. Its
 * operations live by kind of object: engine-objects.ts (networks, volumes), engine-containers.ts,
 * engine-images.ts; the types in engine-types.ts.
 */
import type Docker from "dockerode";
import { SlipwayError } from "../core/errors.js";
import { containerOperations } from "./engine-containers.js";
import { imageOperations } from "./engine-images.js";
import { objectOperations } from "./engine-objects.js";
import type { Engine } from "./engine-types.js";

export type { ContainerSpec, FollowOptions, MountInfo } from "./container-details.js";
export type { ClaimedPort, ContainerState, Engine, ImageInfo, ImageSummary, PublishedPort, RestartPolicySetting } from "./engine-types.js";

export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/**
 * Where the engine is, as dockerode's options, from a DOCKER_HOST-style address given by the
 * caller (the composition root reads the environment; nothing here does).
 */
export function dockerOptions(host: string | undefined): Docker.DockerOptions {
  const where = host === undefined || host === "" ? DEFAULT_DOCKER_HOST : host;
  if (where.startsWith("unix://")) return { socketPath: where.slice("unix://".length) };
  const url = new URL(where.replace(/^tcp:/, "http:"));
  const protocol = url.protocol === "ssh:" ? "ssh" : url.protocol === "https:" ? "https" : "http";
  return { protocol, host: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), ...(url.username ? { username: url.username } : {}) };
}

export async function connectDocker(host?: string): Promise<Docker> {
  // Loaded on demand: dockerode's import is the slowest of all, and most commands never need it.
  const { default: DockerClient } = await import("dockerode");
  return new DockerClient(dockerOptions(host));
}

function unreachable(error: unknown, where: string): SlipwayError {
  return new SlipwayError(
    "E_ENGINE_UNREACHABLE",
    `the Docker engine at ${where} does not answer (${(error as Error).message}). Start it (systemctl start docker, or scripts/install-docker-debian.sh), or point DOCKER_HOST at a running one`,
    { cause: error },
  );
}

export interface EngineOptions {
  /** The engine's address (DOCKER_HOST form), for connecting and for saying where it did not answer. */
  readonly host?: string;
  /** How to reach it; by default dockerode at `host`. */
  readonly connect?: () => Promise<Docker>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const where = options.host || DEFAULT_DOCKER_HOST;
  const docker = options.connect ?? (() => connectDocker(options.host));
  let client: Promise<Docker> | undefined;
  const get = (): Promise<Docker> => (client ??= docker());

  return {
    async ping() {
      try {
        const version = await (await get()).version();
        return version.Version;
      } catch (error) {
        throw unreachable(error, where);
      }
    },
    ...objectOperations(get),
    ...containerOperations(get),
    ...imageOperations(get),
  };
}
