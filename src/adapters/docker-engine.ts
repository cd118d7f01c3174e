/** The Docker engine, through its API (dockerode): the only way Slipway observes what runs. */
import type Docker from "dockerode";
import { ADDRESS_POOL_ADVICE, addressPoolsExhausted } from "./address-pools.js";
import { runHealthcheck } from "./healthcheck-exec.js";
import { SlipwayError } from "../core/errors.js";
import { LABEL } from "../plan/naming.js";
import { followLogs, toSpec, type ContainerSpec, type FollowOptions } from "./container-details.js";

export type { ContainerSpec, FollowOptions, MountInfo } from "./container-details.js";

export interface PublishedPort {
  readonly containerPort: number;
  readonly hostIp: string;
  readonly hostPort: number;
}

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  /** created, running, restarting, exited, … */
  readonly status: string;
  readonly health?: string;
  readonly exitCode: number;
  readonly restartCount: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PublishedPort[];
}

/** A host port a container publishes, or will publish when it starts again. */
export interface ClaimedPort {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RestartPolicySetting {
  readonly name: "no" | "always" | "unless-stopped" | "on-failure";
  readonly maximumRetryCount?: number;
}

export interface ImageInfo {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  /** What a container of it gets unless told otherwise: `KEY=value` variables, entrypoint, command. */
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
}

export interface ImageSummary {
  readonly id: string;
  readonly tags: readonly string[];
  readonly size: number;
}

export interface Engine {
  /** Resolves with the engine's version; throws E_ENGINE_UNREACHABLE with the fix to apply. */
  ping(): Promise<string>;
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  ensureVolume(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  removeNetwork(name: string): Promise<void>;
  removeVolume(name: string): Promise<void>;
  /** Removes the networks carrying every given label (left behind by a project); returns their names. */
  removeNetworks(labels: Readonly<Record<string, string>>): Promise<string[]>;
  /** Names of the volumes carrying every given label. */
  volumes(labels: Readonly<Record<string, string>>): Promise<string[]>;
  /** Containers carrying every given label, stopped ones included. */
  containers(labels: Readonly<Record<string, string>>): Promise<ContainerState[]>;
  logsTail(id: string, lines: number): Promise<string[]>;
  /** How the container was created; undefined when there is no such container. */
  containerSpec(id: string): Promise<ContainerSpec | undefined>;
  /** The container's output, line by line; with `follow`, until it stops or the signal aborts. */
  logs(id: string, options: FollowOptions): Promise<void>;
  /** Restarts the containers all at once (SIGTERM, then SIGKILL after `timeoutSeconds`). */
  restartContainers(ids: readonly string[], timeoutSeconds: number): Promise<void>;
  /** Starts stopped containers, all at once. */
  startContainers(ids: readonly string[]): Promise<void>;
  /** Stops the containers all at once (SIGTERM, then SIGKILL after `timeoutSeconds`). */
  stopContainers(ids: readonly string[], timeoutSeconds: number): Promise<void>;
  /** Freezes the containers' processes (cgroup freezer): no CPU, memory and network kept. */
  pauseContainers(ids: readonly string[]): Promise<void>;
  /** Thaws paused containers: they go on where they were, in milliseconds. */
  unpauseContainers(ids: readonly string[]): Promise<void>;
  /** Runs the container's HEALTHCHECK command once, now: undefined when it passed, else why not. */
  runHealthcheck(id: string, timeoutMs: number): Promise<string | undefined>;
  /** Kills and removes the containers (gone already: fine). */
  removeContainers(ids: readonly string[]): Promise<void>;
  /** Changes what the engine does when the containers stop or the engine restarts. */
  setRestartPolicy(ids: readonly string[], policy: RestartPolicySetting): Promise<void>;
  /**
   * Host ports containers hold: every running container's, and those Slipway's containers name
   * in their configuration whether running or not (a stopped one takes them again when it starts).
   */
  claimedPorts(): Promise<ClaimedPort[]>;
  image(reference: string): Promise<ImageInfo | undefined>;
  /** Images carrying every given label. */
  images(labels: Readonly<Record<string, string>>): Promise<ImageSummary[]>;
  /** Gives an image another name (repository:tag). */
  tagImage(id: string, reference: string): Promise<void>;
  /** Removes one tag (and the image, once no tag and no container holds it). */
  removeImage(reference: string): Promise<void>;
}

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

const statusCode = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

function unreachable(error: unknown, where: string): SlipwayError {
  return new SlipwayError(
    "E_ENGINE_UNREACHABLE",
    `the Docker engine at ${where} does not answer (${(error as Error).message}). Start it (systemctl start docker, or scripts/install-docker-debian.sh), or point DOCKER_HOST at a running one`,
    { cause: error },
  );
}

function toState(info: Docker.ContainerInspectInfo): ContainerState {
  const ports: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
    for (const binding of bindings ?? []) {
      ports.push({ containerPort: Number.parseInt(key, 10), hostIp: binding.HostIp, hostPort: Number.parseInt(binding.HostPort, 10) });
    }
  }
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ""),
    status: info.State.Status,
    ...(info.State.Health?.Status ? { health: info.State.Health.Status } : {}),
    exitCode: info.State.ExitCode,
    restartCount: info.RestartCount,
    labels: info.Config.Labels ?? {},
    ports,
  };
}

/** "8080", or "20001-20003" for a range a service's replicas share. */
function hostPorts(text: string): number[] {
  const [first = Number.NaN, last = first] = text.split("-").map((part) => Number.parseInt(part, 10));
  if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function configuredPorts(info: Docker.ContainerInspectInfo): ClaimedPort[] {
  const labels = info.Config.Labels ?? {};
  // dockerode types PortBindings as `any`.
  const bindings = (info.HostConfig.PortBindings ?? {}) as Record<string, Array<{ HostPort?: string }> | null>;
  return Object.entries(bindings).flatMap(([key, list]) =>
    (list ?? []).flatMap((binding) => hostPorts(binding.HostPort ?? "").map((hostPort) => ({ hostPort, containerPort: Number.parseInt(key, 10), labels }))),
  );
}

/** Docker multiplexes stdout and stderr in 8-byte-framed chunks unless the container has a TTY. */
function demux(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && (buffer[offset] === 1 || buffer[offset] === 2) && buffer.readUInt16BE(offset + 1) === 0) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === buffer.length ? Buffer.concat(parts).toString("utf8") : buffer.toString("utf8");
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

    async ensureNetwork(name, labels) {
      const api = await get();
      try {
        await api.getNetwork(name).inspect();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        try {
          await api.createNetwork({ Name: name, Driver: "bridge", Labels: { ...labels }, CheckDuplicate: true });
        } catch (creating) {
          if (addressPoolsExhausted((creating as Error).message)) throw new SlipwayError("E_START_FAILED", `could not create the network ${name}: ${ADDRESS_POOL_ADVICE}`, { cause: creating });
          throw creating;
        }
      }
    },

    async ensureVolume(name, labels) {
      const api = await get();
      try {
        await api.getVolume(name).inspect();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        await api.createVolume({ Name: name, Labels: { ...labels } });
      }
    },

    async removeNetwork(name) {
      try {
        await (await get()).getNetwork(name).remove();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async removeVolume(name) {
      try {
        await (await get()).getVolume(name).remove();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async removeNetworks(labels) {
      const api = await get();
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const networks = await api.listNetworks({ filters: { label } });
      for (const network of networks) {
        try {
          await api.getNetwork(network.Id).remove();
        } catch (error) {
          if (statusCode(error) !== 404) throw error;
        }
      }
      return networks.map((n) => n.Name);
    },

    async volumes(labels) {
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const { Volumes } = await (await get()).listVolumes({ filters: { label } });
      return (Volumes ?? []).map((v) => v.Name).sort();
    },

    async containers(labels) {
      const api = await get();
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const list = await api.listContainers({ all: true, filters: { label } });
      const states = await Promise.all(
        list.map(async (c) => {
          try {
            return toState(await api.getContainer(c.Id).inspect());
          } catch (error) {
            if (statusCode(error) === 404) return undefined; // removed meanwhile
            throw error;
          }
        }),
      );
      return states.filter((s): s is ContainerState => s !== undefined).sort((a, b) => a.name.localeCompare(b.name));
    },

    async startContainers(ids) {
      const api = await get();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await api.getContainer(id).start();
          } catch (error) {
            if (statusCode(error) !== 304) throw error; // 304: already running
          }
        }),
      );
    },

    async stopContainers(ids, timeoutSeconds) {
      const api = await get();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await api.getContainer(id).stop({ t: timeoutSeconds });
          } catch (error) {
            // 304: already stopped; 404: already gone.
            if (statusCode(error) !== 304 && statusCode(error) !== 404) throw error;
          }
        }),
      );
    },

    async pauseContainers(ids) {
      const api = await get();
      await Promise.all(ids.map((id) => api.getContainer(id).pause()));
    },

    async unpauseContainers(ids) {
      const api = await get();
      await Promise.all(ids.map((id) => api.getContainer(id).unpause()));
    },

    async runHealthcheck(id, timeoutMs) {
      try {
        return await runHealthcheck(await get(), id, timeoutMs);
      } catch (error) {
        if (statusCode(error) === 404) return "the container is gone";
        // 409: paused or restarting; no exec until it runs.
        if (statusCode(error) === 409) return `the container does not run (${(error as Error).message.trim()})`;
        throw error;
      }
    },

    async removeContainers(ids) {
      const api = await get();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await api.getContainer(id).remove({ force: true });
          } catch (error) {
            if (statusCode(error) !== 404) throw error;
          }
        }),
      );
    },

    async setRestartPolicy(ids, policy) {
      const api = await get();
      const RestartPolicy = { Name: policy.name, ...(policy.maximumRetryCount !== undefined ? { MaximumRetryCount: policy.maximumRetryCount } : {}) };
      await Promise.all(ids.map((id) => api.getContainer(id).update({ RestartPolicy })));
    },

    async claimedPorts() {
      const api = await get();
      const list = await api.listContainers({ all: true });
      const running = list.flatMap((c) => (c.State === "running" ? c.Ports.filter((p) => p.PublicPort).map((p) => ({ hostPort: p.PublicPort, containerPort: p.PrivatePort, labels: c.Labels ?? {} })) : []));
      const ours = list.filter((c) => c.Labels?.[LABEL.managed] === "true");
      const configured = await Promise.all(
        ours.map(async (c) => {
          try {
            return configuredPorts(await api.getContainer(c.Id).inspect());
          } catch (error) {
            if (statusCode(error) === 404) return []; // removed meanwhile
            throw error;
          }
        }),
      );
      return [...running, ...configured.flat()];
    },

    async logsTail(id, lines) {
      const api = await get();
      const output = await api.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false });
      return demux(Buffer.from(output)).split("\n").filter((line) => line !== "");
    },

    async containerSpec(id) {
      try {
        return toSpec(await (await get()).getContainer(id).inspect());
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },

    async logs(id, options) {
      await followLogs((await get()).getContainer(id), options);
    },

    async restartContainers(ids, timeoutSeconds) {
      const api = await get();
      await Promise.all(ids.map((id) => api.getContainer(id).restart({ t: timeoutSeconds })));
    },

    async images(labels) {
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const list = await (await get()).listImages({ filters: { label } });
      return list.map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>"), size: i.Size }));
    },

    async tagImage(id, reference) {
      const at = reference.lastIndexOf(":");
      await (await get()).getImage(id).tag({ repo: reference.slice(0, at), tag: reference.slice(at + 1) });
    },

    async removeImage(reference) {
      try {
        await (await get()).getImage(reference).remove({ noprune: false });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async image(reference) {
      try {
        const info = await (await get()).getImage(reference).inspect();
        const words = (value: string | string[] | undefined): string[] | undefined => (value === undefined || value === null ? undefined : Array.isArray(value) ? value : [value]);
        const entrypoint = words(info.Config.Entrypoint);
        const command = words(info.Config.Cmd);
        return { id: info.Id, labels: info.Config.Labels ?? {}, env: info.Config.Env ?? [], ...(entrypoint ? { entrypoint } : {}), ...(command ? { command } : {}) };
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },
  };
}
