/**
 * The engine as a swarm manager, through its API (dockerode): whether it is one, its nodes,
 * and what a pull probe needs (an image built and pushed, one-off jobs placed on a node, their
 * tasks, their removal). Thin: what the answers mean is check-swarm's to say.
 */
import type Docker from "dockerode";
import { Readable } from "node:stream";
import type { RegistryLogin } from "../plan/registry-images.js";
import { statusCode } from "./engine-types.js";
import { engineAuth } from "./registry-auth.js";

export interface SwarmMembership {
  /** inactive, pending, active, error, locked. */
  readonly state: string;
  readonly manager: boolean;
}

export interface SwarmNodeInfo {
  readonly id: string;
  readonly hostname: string;
  /** manager or worker. */
  readonly role: string;
  /** active, pause or drain. */
  readonly availability: string;
  /** ready, down, unknown, disconnected. */
  readonly state: string;
}

export interface SwarmTask {
  /** new, pending, assigned, accepted, preparing, ready, starting, running, complete, failed, rejected, … */
  readonly state: string;
  readonly error?: string;
}

export interface JobSpec {
  readonly name: string;
  readonly image: string;
  readonly nodeId: string;
  readonly command: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly login?: RegistryLogin;
}

export interface SwarmEngine {
  membership(): Promise<SwarmMembership>;
  nodes(): Promise<SwarmNodeInfo[]>;
  /** Builds an image with no layers, only labels (nothing to run: it proves a pull). */
  buildLabelOnlyImage(reference: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** Pushes the image (with the registry's credentials, when it wants them); resolves with the digest the registry gave it. */
  pushImage(reference: string, login?: RegistryLogin): Promise<string>;
  /** Removes the image, every name of it, even while a container still uses it. */
  removeImage(reference: string): Promise<void>;
  /** A replicated job of one task that never restarts, on the node; resolves with its id. */
  createJob(spec: JobSpec): Promise<string>;
  tasks(serviceId: string): Promise<SwarmTask[]>;
  removeService(id: string): Promise<void>;
}

/** One file in a tar archive: a 512-byte ustar header, the content, padding to 512. */
function tarOf(name: string, content: string): Buffer {
  const body = Buffer.from(content, "utf8");
  const header = Buffer.alloc(512);
  const field = (text: string, offset: number, length: number): void => void header.write(text, offset, length, "ascii");
  field(name, 0, 100);
  field("0000644\0", 100, 8);
  field("0000000\0", 108, 8);
  field("0000000\0", 116, 8);
  field(`${body.length.toString(8).padStart(11, "0")}\0`, 124, 12);
  field("00000000000\0", 136, 12);
  field("        ", 148, 8); // the checksum is summed with its own field as spaces
  field("0", 156, 1);
  field("ustar\0", 257, 6);
  field("00", 263, 2);
  const sum = header.reduce((total, byte) => total + byte, 0);
  field(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding, Buffer.alloc(1024)]);
}

/** The fields of GET /nodes that Slipway reads. */
interface NodeAnswer {
  readonly ID?: string;
  readonly Description?: { readonly Hostname?: string };
  readonly Spec?: { readonly Role?: string; readonly Availability?: string };
  readonly Status?: { readonly State?: string };
}

interface ProgressEvent {
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: { readonly Digest?: string };
}

/** Reads a build or push stream to its end; its error events become a rejection. */
function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, events: ProgressEvent[]) => {
      if (error) return reject(error);
      const failed = events.find((event) => event.error !== undefined || event.errorDetail !== undefined);
      if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
      resolve(events);
    });
  });
}

export function createSwarmEngine(get: () => Promise<Docker>): SwarmEngine {
  return {
    async membership() {
      const info = (await (await get()).info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
      return { state: info.Swarm?.LocalNodeState ?? "inactive", manager: info.Swarm?.ControlAvailable === true };
    },

    async nodes() {
      const nodes = (await (await get()).listNodes()) as NodeAnswer[];
      return nodes.map((node) => ({
        id: node.ID ?? "",
        hostname: node.Description?.Hostname ?? "",
        role: node.Spec?.Role ?? "",
        availability: node.Spec?.Availability ?? "",
        state: node.Status?.State ?? "",
      }));
    },

    async buildLabelOnlyImage(reference, labels) {
      const docker = await get();
      const context = Readable.from([tarOf("Dockerfile", "FROM scratch\n")]);
      await followProgress(docker, await docker.buildImage(context, { t: reference, labels: { ...labels }, rm: true }));
    },

    async pushImage(reference, login) {
      const docker = await get();
      const events = await followProgress(docker, await docker.getImage(reference).push({ authconfig: engineAuth(login) }));
      return events.find((event) => event.aux?.Digest !== undefined)?.aux?.Digest ?? "";
    },

    async removeImage(reference) {
      try {
        // By id, forced: a task pulled it by digest too (a second name), and its containers,
        // gone once Swarm has removed them, may hold it still.
        const docker = await get();
        const { Id } = await docker.getImage(reference).inspect();
        await docker.getImage(Id).remove({ force: true, noprune: false });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async createJob(spec) {
      const service = await (await get()).createService(engineAuth(spec.login), {
        Name: spec.name,
        Labels: { ...spec.labels },
        TaskTemplate: {
          ContainerSpec: { Image: spec.image, Command: [...spec.command], Labels: { ...spec.labels } },
          Placement: { Constraints: [`node.id==${spec.nodeId}`] },
          RestartPolicy: { Condition: "none" },
        },
        Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
      } as Docker.CreateServiceOptions);
      return (service as unknown as { id: string }).id;
    },

    async tasks(serviceId) {
      const tasks = await (await get()).listTasks({ filters: { service: [serviceId] } });
      return tasks.map((task: { Status?: { State?: string; Err?: string } }) => ({
        state: task.Status?.State ?? "new",
        ...(task.Status?.Err ? { error: task.Status.Err } : {}),
      }));
    },

    async removeService(id) {
      try {
        await (await get()).getService(id).remove();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },
  };
}
