/**
 * What a swarm deployment asks of the manager: stacks deployed from a file (`docker stack
 * deploy`, the reference reader of stack files), services and their tasks read, scaled and
 * removed, overlay networks, and a release task run as a job. Thin: the pipeline decides.
 */
import type Docker from "dockerode";
import type { RegistryLogin } from "../plan/registry-images.js";
import { engineAuth, withCliCredentials } from "./registry-auth.js";
import { runCommand } from "./run-command.js";
import { createSwarmServices } from "./swarm-services.js";

export interface SwarmServiceState {
  readonly id: string;
  readonly name: string;
  readonly replicas: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SwarmTaskState {
  readonly id: string;
  readonly serviceId: string;
  readonly nodeId: string;
  readonly slot?: number;
  /** new, pending, assigned, accepted, preparing, starting, running, complete, failed, shutdown, rejected, orphaned, remove. */
  readonly state: string;
  readonly desiredState: string;
  readonly error?: string;
  readonly exitCode?: number;
  /** The task's container, on its node. */
  readonly containerId?: string;
}

export interface JobRun {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly env: readonly string[];
  readonly networks: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** The credentials its node pulls the image with. */
  readonly login?: RegistryLogin;
}

/** A docker CLI call's streams: this process's own (`inherit`), or its lines. */
export type CliOutput = { readonly inherit: true } | { readonly onLine: (line: string, stream: "stdout" | "stderr") => void };

export interface SwarmStacks {
  /** This engine's node id in the swarm. */
  nodeId(): Promise<string>;
  /** Deploys the stack file; with a login, its services' nodes pull with those credentials. */
  deployStack(stack: string, file: string, options?: { readonly onLine?: (line: string, stream: "stdout" | "stderr") => void; readonly login?: RegistryLogin }): Promise<void>;
  services(labels: Readonly<Record<string, string>>): Promise<SwarmServiceState[]>;
  tasks(serviceId: string): Promise<SwarmTaskState[]>;
  scale(serviceId: string, replicas: number): Promise<void>;
  /** Replaces the service's tasks with new ones of the same spec (a forced update). */
  restartService(serviceId: string): Promise<void>;
  removeServices(ids: readonly string[]): Promise<void>;
  /** Removes the networks with these labels, waiting (up to the deadline) for their tasks to leave them. */
  removeNetworks(labels: Readonly<Record<string, string>>, deadlineMs?: number): Promise<void>;
  /** An attachable overlay network, made if absent. */
  ensureOverlay(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** A replicated job of one task that never restarts; resolves with its service id. */
  createJob(job: JobRun): Promise<string>;
  /** A service's output so far (its tasks' stdout and stderr). */
  logs(serviceId: string): Promise<string[]>;
  /** The same, printed: handed to this process's own streams, or line by line. */
  showLogs(serviceId: string, output: CliOutput): Promise<void>;
  /**
   * `docker exec` in a container of this node, or, with `context`, of the engine that Docker CLI
   * context names (another node's); resolves with the command's exit code.
   */
  execIn(containerId: string, command: readonly string[], output: CliOutput & { readonly tty?: boolean; readonly context?: string }): Promise<number>;
  /** Whether the Docker CLI has a context of this name (`docker context create`). */
  hasContext(name: string): Promise<boolean>;
}

interface ServiceAnswer {
  readonly ID?: string;
  readonly Spec?: { readonly Name?: string; readonly Labels?: Record<string, string>; readonly Mode?: { readonly Replicated?: { readonly Replicas?: number } } };
  readonly Version?: { readonly Index?: number };
}

interface TaskAnswer {
  readonly ID?: string;
  readonly ServiceID?: string;
  readonly NodeID?: string;
  readonly Slot?: number;
  readonly DesiredState?: string;
  readonly Status?: { readonly State?: string; readonly Err?: string; readonly ContainerStatus?: { readonly ExitCode?: number; readonly ContainerID?: string } };
}

const labelFilter = (labels: Readonly<Record<string, string>>): string[] => Object.entries(labels).map(([k, v]) => `${k}=${v}`);
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createSwarmStacks(get: () => Promise<Docker>, env: Readonly<Record<string, string | undefined>>): SwarmStacks {
  const cliEnv = { ...process.env, ...(env.DOCKER_HOST ? { DOCKER_HOST: env.DOCKER_HOST } : {}) };
  // Services, networks and the node id as the swarm router reads them: one adapter for both.
  const services = createSwarmServices(get);
  return {
    nodeId: () => services.localNodeId(),

    async deployStack(stack, file, options = {}) {
      // Detached: each release is a new stack, so there is no update to follow; the verify step
      // waits for the tasks itself. The images are named by digest already.
      const { onLine, login } = options;
      const args = ["stack", "deploy", "--detach=true", "--resolve-image", "never", ...(login ? ["--with-registry-auth"] : []), "--compose-file", file, stack];
      const result = await withCliCredentials(login, (config) => runCommand("docker", args, { env: config ? { ...cliEnv, DOCKER_CONFIG: config } : cliEnv, ...(onLine ? { onLine } : {}) }));
      if (result.exitCode !== 0) throw new Error(`docker stack deploy ${stack} exited ${result.exitCode}: ${result.stderr.trim().split("\n").slice(-3).join(" / ")}`);
    },

    async services(labels) {
      const answers = (await (await get()).listServices({ filters: { label: labelFilter(labels) } })) as ServiceAnswer[];
      return answers.map((s) => ({ id: s.ID ?? "", name: s.Spec?.Name ?? "", replicas: s.Spec?.Mode?.Replicated?.Replicas ?? 0, labels: s.Spec?.Labels ?? {} }));
    },

    async tasks(serviceId) {
      const answers = (await (await get()).listTasks({ filters: { service: [serviceId] } })) as TaskAnswer[];
      return answers.map((t) => ({
        id: t.ID ?? "",
        serviceId: t.ServiceID ?? serviceId,
        nodeId: t.NodeID ?? "",
        ...(t.Slot !== undefined ? { slot: t.Slot } : {}),
        state: t.Status?.State ?? "new",
        desiredState: t.DesiredState ?? "",
        ...(t.Status?.Err ? { error: t.Status.Err } : {}),
        ...(t.Status?.ContainerStatus?.ExitCode !== undefined ? { exitCode: t.Status.ContainerStatus.ExitCode } : {}),
        ...(t.Status?.ContainerStatus?.ContainerID ? { containerId: t.Status.ContainerStatus.ContainerID } : {}),
      }));
    },

    async restartService(serviceId) {
      const service = (await get()).getService(serviceId);
      const spec = (await service.inspect()) as { Spec: Record<string, unknown> & { TaskTemplate?: { ForceUpdate?: number } }; Version: { Index: number } };
      const template = spec.Spec.TaskTemplate ?? {};
      await service.update({ ...spec.Spec, TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 }, version: spec.Version.Index });
    },

    async scale(serviceId, replicas) {
      const service = (await get()).getService(serviceId);
      // An update names the version it changes: retried when another update came in between.
      for (let attempt = 0; ; attempt++) {
        const spec = (await service.inspect()) as { Spec: Record<string, unknown> & { Mode?: { Replicated?: { Replicas?: number } } }; Version: { Index: number } };
        try {
          await service.update({ ...spec.Spec, Mode: { Replicated: { Replicas: replicas } }, version: spec.Version.Index });
          return;
        } catch (error) {
          if (attempt >= 3 || !/out of sequence/i.test((error as Error).message)) throw error;
        }
      }
    },

    async removeServices(ids) {
      for (const id of ids) await services.removeService(id);
    },

    async removeNetworks(labels, deadlineMs = 30_000) {
      const docker = await get();
      const until = Date.now() + deadlineMs;
      for (;;) {
        // Listed again after each round: a removed service's tasks leave its networks a moment
        // later, and the manager's own copy of a removed overlay network goes a moment after it.
        const networks = await docker.listNetworks({ filters: { label: labelFilter(labels) } });
        if (networks.length === 0) return;
        const busy: string[] = [];
        for (const network of networks) if (!(await services.removeNetwork(network.Id))) busy.push(network.Name);
        if (Date.now() > until) throw new Error(`the networks ${(busy.length > 0 ? busy : networks.map((n) => n.Name)).join(", ")} are still ${busy.length > 0 ? "in use" : "listed"} after ${Math.round(deadlineMs / 1000)} s`);
        await pause(500);
      }
    },

    ensureOverlay: (name, labels) => services.ensureOverlay(name, labels),

    createJob(job) {
      const spec: Docker.CreateServiceOptions = {
        Name: job.name,
        Labels: { ...job.labels },
        TaskTemplate: {
          ContainerSpec: {
            Image: job.image,
            ...(job.entrypoint ? { Command: [...job.entrypoint] } : {}),
            ...(job.command ? { Args: [...job.command] } : {}),
            ...(job.workingDir ? { Dir: job.workingDir } : {}),
            ...(job.user ? { User: job.user } : {}),
            Env: [...job.env],
            Labels: { ...job.labels },
            // The image's HEALTHCHECK is for the web process, not for a migration.
            HealthCheck: { Test: ["NONE"] },
          },
          Networks: job.networks.map((Target) => ({ Target })),
          RestartPolicy: { Condition: "none" },
        },
        Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
      };
      return services.createService(spec, engineAuth(job.login));
    },

    async showLogs(serviceId, output) {
      const args = ["service", "logs", "--raw", "--no-trunc", serviceId];
      await runCommand("docker", args, { env: cliEnv, timeoutMs: 60_000, ...("inherit" in output ? { inheritStdio: true } : { onLine: output.onLine }) });
    },

    async execIn(containerId, command, output) {
      const tty = "inherit" in output && output.tty === true;
      // A context names another engine: it goes before DOCKER_HOST, which would name this one.
      const args = [...(output.context ? ["--context", output.context] : []), "exec", ...("inherit" in output ? ["-i"] : []), ...(tty ? ["-t"] : []), containerId, ...command];
      const env = output.context ? Object.fromEntries(Object.entries(cliEnv).filter(([key]) => key !== "DOCKER_HOST" && key !== "DOCKER_CONTEXT")) : cliEnv;
      const result = await runCommand("docker", args, { env, ...("inherit" in output ? { inheritStdio: true } : { onLine: output.onLine }) });
      return result.exitCode;
    },

    async hasContext(name) {
      return (await runCommand("docker", ["context", "inspect", name], { env: cliEnv, timeoutMs: 10_000 })).exitCode === 0;
    },

    async logs(serviceId) {
      const result = await runCommand("docker", ["service", "logs", "--raw", "--no-trunc", serviceId], { env: cliEnv, timeoutMs: 30_000 });
      return `${result.stdout}${result.stderr}`.split("\n").filter((line) => line !== "");
    },
  };
}
