/**
 * Swarm services and overlay networks through the engine API (dockerode), for the Swarm router:
 * find, create, update and remove a service by name; its tasks and their containers; an
 * attachable overlay network. Thin: what a spec holds is the caller's to decide.
 */
import type Docker from "dockerode";
import { statusCode } from "./engine-types.js";
import type { EngineAuth } from "./registry-auth.js";

export interface ServiceState {
  readonly id: string;
  readonly version: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ServiceTask {
  readonly id: string;
  readonly nodeId: string;
  /** running, starting, failed, shutdown, … */
  readonly state: string;
  readonly desiredState: string;
  readonly containerId?: string;
  readonly error?: string;
}

export interface SwarmServices {
  /** This engine's own node id (where Slipway runs, the manager). */
  localNodeId(): Promise<string>;
  inspectService(name: string): Promise<ServiceState | undefined>;
  /** Creates a service from an engine API spec; resolves with its id. */
  /** Creates the service; its nodes pull its image with `auth` (the engine's form of a registry login). */
  createService(spec: Docker.CreateServiceOptions, auth?: EngineAuth | Record<string, never>): Promise<string>;
  /** Replaces the spec of the service (the engine restarts its tasks). */
  updateService(current: ServiceState, spec: Docker.CreateServiceOptions): Promise<void>;
  removeService(name: string): Promise<void>;
  tasks(service: string): Promise<ServiceTask[]>;
  /** The attachable overlay network, created with these labels if absent. */
  ensureOverlay(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** Removes the network; false when some service or container still uses it. */
  removeNetwork(name: string): Promise<boolean>;
}

interface TaskAnswer {
  readonly ID?: string;
  readonly NodeID?: string;
  readonly DesiredState?: string;
  readonly Status?: { readonly State?: string; readonly Err?: string; readonly ContainerStatus?: { readonly ContainerID?: string } };
}

export function createSwarmServices(get: () => Promise<Docker>): SwarmServices {
  return {
    async localNodeId() {
      const info = (await (await get()).info()) as { Swarm?: { NodeID?: string } };
      return info.Swarm?.NodeID ?? "";
    },

    async inspectService(name) {
      try {
        const answer = (await (await get()).getService(name).inspect()) as { ID: string; Version?: { Index?: number }; Spec?: { Labels?: Record<string, string> } };
        return { id: answer.ID, version: answer.Version?.Index ?? 0, labels: answer.Spec?.Labels ?? {} };
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },

    async createService(spec, auth = {}) {
      // The credentials first: given the spec alone, dockerode sends the spec as X-Registry-Auth.
      const service = await (await get()).createService(auth, spec);
      return (service as unknown as { id: string }).id;
    },

    async updateService(current, spec) {
      await (await get()).getService(current.id).update({ ...spec, version: current.version });
    },

    async removeService(name) {
      try {
        await (await get()).getService(name).remove();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async tasks(service) {
      const tasks = (await (await get()).listTasks({ filters: { service: [service] } })) as TaskAnswer[];
      return tasks.map((task) => ({
        id: task.ID ?? "",
        nodeId: task.NodeID ?? "",
        state: task.Status?.State ?? "new",
        desiredState: task.DesiredState ?? "",
        ...(task.Status?.ContainerStatus?.ContainerID ? { containerId: task.Status.ContainerStatus.ContainerID } : {}),
        ...(task.Status?.Err ? { error: task.Status.Err } : {}),
      }));
    },

    async ensureOverlay(name, labels) {
      const docker = await get();
      try {
        await docker.getNetwork(name).inspect();
        return;
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
      try {
        await docker.createNetwork({ Name: name, Driver: "overlay", Attachable: true, CheckDuplicate: true, Labels: { ...labels } });
      } catch (error) {
        if (statusCode(error) !== 409) throw error; // made meanwhile
      }
    },

    async removeNetwork(name) {
      try {
        await (await get()).getNetwork(name).remove();
        return true;
      } catch (error) {
        // Gone meanwhile: a manager may answer 500 "network … not found" for one it just removed.
        if (statusCode(error) === 404 || /not found/i.test((error as Error).message)) return true;
        // In use: a local network answers 403 or 409, a swarm one 400 (FailedPrecondition).
        if (statusCode(error) === 403 || statusCode(error) === 409 || /in use/i.test((error as Error).message)) return false;
        throw error;
      }
    },
  };
}
