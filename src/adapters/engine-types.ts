/** What Slipway knows of the engine's objects, and the interface every engine (real or fake) offers. */
import type { ContainerSpec, FollowOptions } from "./container-details.js";

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

/** The HTTP status of an engine API error (dockerode puts it on the error). */
export const statusCode = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;
