/**
 * The router's container, through the Docker engine: inspect, create, signal, remove, and the
 * one-off container that checks a config with `haproxy -c` before the router ever reads it.
 */
import type Docker from "dockerode";
import { createEngine } from "../adapters/docker-engine.js";
import { RouterError } from "./router-error.js";

/** Where the host directories appear inside the container. */
export const IN_CONTAINER = {
  configDir: "/usr/local/etc/haproxy",
  configFile: "/usr/local/etc/haproxy/haproxy.cfg",
  runDir: "/run/slipway",
  socket: "/run/slipway/admin.sock",
} as const;

export interface RouterContainerSpec {
  readonly docker: () => Promise<Docker>;
  readonly name: string;
  readonly image: string;
  /** Host directories: `etc` holds haproxy.cfg, `run` the admin socket. */
  readonly etcDir: string;
  readonly runDir: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RouterContainer {
  readonly id: string;
  readonly running: boolean;
}

const statusCode = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

export async function inspectRouter(spec: RouterContainerSpec): Promise<RouterContainer | undefined> {
  try {
    const info = await (await spec.docker()).getContainer(spec.name).inspect();
    return { id: info.Id, running: info.State.Running && !info.State.Restarting };
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The image, pulled when absent: the engine API, unlike `docker run`, never pulls by itself,
 * and a fresh server has no HAProxy image yet.
 */
export async function ensureImage(spec: RouterContainerSpec): Promise<void> {
  const api = await spec.docker();
  try {
    await api.getImage(spec.image).inspect();
    return;
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
  try {
    const progress = await api.pull(spec.image);
    await new Promise<void>((resolve, reject) => api.modem.followProgress(progress, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    throw new RouterError("E_ROUTER_UNAVAILABLE", `the router image ${spec.image} is not on this host and could not be pulled (${(error as Error).message}): pull or build it, or set another router image`, { cause: error });
  }
}

/** Stops it gracefully (the image's stop signal, SIGUSR1, lets requests finish), then removes it. */
export async function removeRouter(spec: RouterContainerSpec): Promise<void> {
  const container = (await spec.docker()).getContainer(spec.name);
  try {
    await container.stop({ t: 10 });
  } catch (error) {
    if (statusCode(error) !== 304 && statusCode(error) !== 404) throw error; // 304: not running
  }
  try {
    await container.remove({ force: true });
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
}

/** Creates and starts the container; any container of that name is removed first. */
export async function createRouterContainer(spec: RouterContainerSpec): Promise<string> {
  await removeRouter(spec);
  const container = await (await spec.docker()).createContainer({
    name: spec.name,
    Image: spec.image,
    // Explicit entry point: the official image's script would otherwise rewrite the arguments.
    Entrypoint: ["haproxy"],
    // -W: master-worker, so SIGUSR2 reloads in place; -db: stay in the foreground.
    Cmd: ["-W", "-db", "-f", IN_CONTAINER.configFile],
    // Root, because the official image runs as "haproxy" (uid 99), which on the host network
    // can neither bind ports below 1024 nor create the socket in a directory of ours.
    User: "0:0",
    Labels: { ...spec.labels, "slipway.managed": "true", "slipway.role": "router" },
    HostConfig: {
      NetworkMode: "host",
      RestartPolicy: { Name: "unless-stopped" },
      // Directories, not files: a bind-mounted file keeps its inode, and an atomic rename of a
      // new haproxy.cfg would never be seen by a reload.
      Binds: [`${spec.etcDir}:${IN_CONTAINER.configDir}:ro`, `${spec.runDir}:${IN_CONTAINER.runDir}`],
    },
  });
  await container.start();
  return container.id;
}

/** Seamless reload: the master (PID 1) re-reads the file and replaces its worker. */
export async function signalReload(spec: RouterContainerSpec): Promise<void> {
  await (await spec.docker()).getContainer(spec.name).kill({ signal: "SIGUSR2" });
}

export async function routerLogs(spec: RouterContainerSpec, lines = 20): Promise<string[]> {
  try {
    return await createEngine({ connect: spec.docker }).logsTail(spec.name, lines);
  } catch {
    return []; // only ever used to explain another failure
  }
}

/**
 * `haproxy -c` on a file of the config directory, in a one-off container of the router's image
 * (same HAProxy as the one that will read it, whether or not the router runs).
 */
export async function checkConfig(spec: RouterContainerSpec, fileName: string): Promise<void> {
  const api = await spec.docker();
  const container = await api.createContainer({
    Image: spec.image,
    Entrypoint: ["haproxy"],
    Cmd: ["-c", "-f", `${IN_CONTAINER.configDir}/${fileName}`],
    User: "0:0",
    Labels: { ...spec.labels, "slipway.managed": "true", "slipway.role": "router-check" },
    HostConfig: { NetworkMode: "none", Binds: [`${spec.etcDir}:${IN_CONTAINER.configDir}:ro`] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const output = await createEngine({ connect: spec.docker }).logsTail(container.id, 30);
      throw new RouterError("E_ROUTER_CONFIG", `HAProxy rejects the rendered config (haproxy -c exited ${StatusCode}):\n${output.join("\n")}`);
    }
  } catch (error) {
    await container.remove({ force: true }).catch(() => undefined); // never hides the first error
    throw error;
  }
  await container.remove({ force: true });
}
