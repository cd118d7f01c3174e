/**
 * `slipway check` on an environment with driver: swarm: the engine must be a swarm manager, the
 * registry must answer, and every node must pull from it. The pull is proved, not assumed: a
 * tiny image with a fresh name (so no node has it yet) is pushed, then a one-off job placed on
 * each node by its id; a task the node rejects could not pull. Jobs and image are removed after.
 */
import type { RegistryAnswer } from "../adapters/registry-http.js";
import type { RegistryManifests } from "../adapters/registry-manifests.js";
import type { SwarmEngine, SwarmNodeInfo, SwarmTask } from "../adapters/swarm-engine.js";
import type { Clock } from "../core/clock.js";
import { SlipwayError } from "../core/errors.js";
import { repositoryOf, type RegistryLogin } from "../plan/registry-images.js";

export interface SwarmCheckDeps {
  readonly swarm: SwarmEngine;
  readonly askRegistry: (registry: string) => Promise<RegistryAnswer>;
  /** The registry's manifests, to delete the probe's from it afterwards. */
  readonly manifests?: RegistryManifests;
  readonly clock: Clock;
}

export interface SwarmCheckOptions {
  readonly registry: string;
  /** The registry's credentials (registry_login), pushed and pulled with. */
  readonly login?: RegistryLogin;
  /** Accessories and the named volumes they mount: those live on one node each. */
  readonly accessoryVolumes: ReadonlyArray<{ readonly service: string; readonly volumes: readonly string[] }>;
  /** Makes the probe's names unique. */
  readonly nonce: string;
  readonly probeTimeoutMs?: number;
}

export interface NodePull {
  readonly hostname: string;
  readonly pulled: boolean;
  readonly detail: string;
}

export interface SwarmCheck {
  readonly manager: boolean;
  readonly nodes: readonly SwarmNodeInfo[];
  readonly pulls: readonly NodePull[];
  readonly notes: readonly string[];
  /** Things to start or fix outside the project: each makes the check fail with exit 4. */
  readonly problems: readonly SlipwayError[];
}

// States a task passes through before its node has pulled the image (or failed to).
const BEFORE_PULL = new Set(["new", "pending", "assigned", "accepted", "preparing"]);
const PROBE_LABEL = "slipway.probe";

export async function checkSwarm(options: SwarmCheckOptions, deps: SwarmCheckDeps): Promise<SwarmCheck> {
  const membership = await deps.swarm.membership();
  const empty = { nodes: [], pulls: [], notes: [] };
  if (!membership.manager) return { ...empty, manager: false, problems: [notManager(membership.state)] };
  const nodes = await deps.swarm.nodes();
  const notes = volumeNotes(options.accessoryVolumes);
  const registryProblem = await registryAnswers(options.registry, deps);
  if (registryProblem) return { manager: true, nodes, pulls: [], notes, problems: [registryProblem] };
  const probed = await probeNodes(options, nodes, deps);
  return { manager: true, nodes, notes: [...notes, ...probed.notes], pulls: probed.pulls, problems: probed.problems };
}

function notManager(state: string): SlipwayError {
  const message =
    state === "inactive"
      ? "the Docker engine is not in a swarm, and driver: swarm needs a swarm manager: run docker swarm init on this host to make it one, or point DOCKER_HOST at a manager"
      : `the Docker engine is a swarm node (${state}) but not a manager, and Slipway drives a swarm through a manager: point DOCKER_HOST at one (docker node ls on a manager lists them), or promote this node with docker node promote`;
  return new SlipwayError("E_SWARM_UNAVAILABLE", message);
}

async function registryAnswers(registry: string, deps: SwarmCheckDeps): Promise<SlipwayError | undefined> {
  try {
    const answer = await deps.askRegistry(registry);
    if (answer.status === 200 || answer.status === 401) return undefined;
    return new SlipwayError("E_REGISTRY_UNREACHABLE", `the registry ${registry} answered ${answer.status} at ${answer.url}, not a registry's API: check registry: in slipway.yml`);
  } catch (error) {
    const why = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    return new SlipwayError("E_REGISTRY_UNREACHABLE", `the registry ${registry} does not answer (${why}): start it, or fix registry: in slipway.yml`, { cause: error });
  }
}

function volumeNotes(accessories: SwarmCheckOptions["accessoryVolumes"]): string[] {
  return accessories
    .filter((a) => a.volumes.length > 0)
    .map((a) => `accessory ${a.service}: its named volumes (${a.volumes.join(", ")}) are node-local on a swarm: its data stays on the node its task runs on`);
}

async function probeNodes(options: SwarmCheckOptions, nodes: readonly SwarmNodeInfo[], deps: SwarmCheckDeps): Promise<Pick<SwarmCheck, "pulls" | "notes" | "problems">> {
  const image = `${options.registry}/slipway-probe:${options.nonce}`;
  const labels = { [PROBE_LABEL]: options.nonce };
  const ready = nodes.filter((n) => n.state === "ready" && n.availability === "active");
  const notes = nodes.filter((n) => !ready.includes(n)).map((n) => `node ${n.hostname} not probed: it is ${n.state}, ${n.availability}`);
  await deps.swarm.buildLabelOnlyImage(image, labels);
  try {
    try {
      await deps.swarm.pushImage(image, options.login);
    } catch (error) {
      const fix = options.login ? `check registry_login (user ${options.login.username}) and its password variable` : "a registry that wants a login needs registry_login in slipway.yml";
      const problem = new SlipwayError("E_REGISTRY_UNREACHABLE", `pushing to the registry ${options.registry} failed (${(error as Error).message}): ${fix}, or fix registry:`, { cause: error });
      return { pulls: [], notes, problems: [problem] };
    }
    const timeoutMs = options.probeTimeoutMs ?? 60_000;
    const pulls = await Promise.all(ready.map((node, index) => probeNode({ node, image, labels, name: `slipway-probe-${options.nonce}-${index + 1}`, timeoutMs, login: options.login }, deps)));
    const failed = pulls.filter((p) => !p.pulled);
    const problems = failed.map(
      (p) => new SlipwayError("E_NODE_CANNOT_PULL", `node ${p.hostname} cannot pull from the registry ${options.registry} (${p.detail}): make the registry reachable from that node (and log it in), or drain it (docker node update --availability drain)`),
    );
    return { pulls, notes, problems };
  } finally {
    await deps.swarm.removeImage(image).catch((error: unknown) => notes.push(`the probe image ${image} could not be removed here (${(error as Error).message}): docker image rm it`));
    const left = await removeProbeFromRegistry(options, image, deps);
    if (left) notes.push(left);
  }
}

/** The probe's manifest deleted from the registry, where it allows it; else a note saying it stays. */
async function removeProbeFromRegistry(options: SwarmCheckOptions, image: string, deps: SwarmCheckDeps): Promise<string | undefined> {
  if (!deps.manifests) return undefined;
  const { repository, tag } = repositoryOf(image, options.registry);
  try {
    const digest = await deps.manifests.digestOf(repository, tag);
    if (digest === undefined || (await deps.manifests.deleteManifest(repository, digest)) !== "not-allowed") return undefined;
    return `the probe image ${image} stays in the registry, which does not allow deletion`;
  } catch (error) {
    return `the probe image ${image} could not be deleted from the registry (${(error as Error).message})`;
  }
}

async function probeNode(probe: { node: SwarmNodeInfo; image: string; labels: Record<string, string>; name: string; timeoutMs: number; login: RegistryLogin | undefined }, deps: SwarmCheckDeps): Promise<NodePull> {
  const { node } = probe;
  // The image holds no program: a container is made (which needs a command), its start fails,
  // and that failure, after the pull, is the proof. A pull that fails rejects the task before.
  const id = await deps.swarm.createJob({ name: probe.name, image: probe.image, nodeId: node.id, command: ["/slipway-probe"], labels: probe.labels, ...(probe.login ? { login: probe.login } : {}) });
  try {
    const deadline = deps.clock.now() + probe.timeoutMs;
    let task: SwarmTask | undefined;
    for (;;) {
      task = (await deps.swarm.tasks(id))[0];
      if (task && !BEFORE_PULL.has(task.state)) break;
      if (deps.clock.now() > deadline) return { hostname: node.hostname, pulled: false, detail: `no answer within ${probe.timeoutMs / 1000} s, the probe still ${task?.state ?? "unscheduled"}${task?.error ? `: ${task.error}` : ""}` };
      await deps.clock.sleep(250);
    }
    // Rejected: the node failed to prepare the task, which for this image means the pull.
    if (task.state === "rejected") return { hostname: node.hostname, pulled: false, detail: task.error ?? "rejected" };
    return { hostname: node.hostname, pulled: true, detail: "pulled" };
  } finally {
    // A probe left behind would only stay idle (its task never restarts): a failed removal is not the check's verdict.
    await deps.swarm.removeService(id).catch(() => undefined);
  }
}
