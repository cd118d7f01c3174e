/** The Docker engine, through its API (dockerode): the only way Slipway observes what runs. */
import type Docker from "dockerode";
import { SlipwayError } from "../core/errors.js";

export interface Engine {
  /** Resolves with the engine's version; throws E_ENGINE_UNREACHABLE with the fix to apply. */
  ping(): Promise<string>;
}

export async function connectDocker(): Promise<Docker> {
  // Loaded on demand: dockerode's import is the slowest of all, and most commands never need it.
  const { default: DockerClient } = await import("dockerode");
  return new DockerClient();
}

export function createEngine(docker: () => Promise<Docker> = connectDocker): Engine {
  return {
    async ping() {
      const where = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
      try {
        const client = await docker();
        const version = await client.version();
        return version.Version;
      } catch (error) {
        throw new SlipwayError(
          "E_ENGINE_UNREACHABLE",
          `the Docker engine at ${where} does not answer (${(error as Error).message}). Start it (systemctl start docker, or scripts/install-docker-debian.sh), or point DOCKER_HOST at a running one`,
          { cause: error },
        );
      }
    },
  };
}
