/**
 * A 3-node Docker Swarm on one machine, for the swarm tests: this machine's dockerd as the
 * manager, two more dockerds in network namespaces as workers, joined over veth pairs on a host
 * bridge, and a registry every node pulls from at 127.0.0.1:5000 (one per namespace, one shared
 * storage: every dockerd trusts 127.0.0.0/8 as insecure, so no TLS and no daemon flags).
 *
 * `teardownSwarm` removes all of it and is safe to run at any time: `startSwarm` runs it first,
 * to clear what a killed run left. It leaves a swarm alone that it did not make (one whose
 * manager does not advertise 10.77.0.1).
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { rmSync } from "node:fs";
import {
  LOCKED_REGISTRY,
  REGISTRY,
  STATE_LIB,
  STATE_RUN,
  commandExists,
  dockerOn,
  lockedRegistryKind,
  startRegistry,
  startWorkerDockerd,
  stopRegistry,
  stopWorkerProcesses,
  unmountState,
  waitFor,
  workerHost,
  workerHostname,
} from "./swarm-daemons.js";
import { MANAGER_ADDRESS, attempt, unwireBridge, unwireWorker, wireBridge, wireWorker, workerWiring, type WorkerWiring } from "./swarm-network.js";

export { REGISTRY } from "./swarm-daemons.js";
export { bridgeExists, netnsList } from "./swarm-network.js";

export interface SwarmNode {
  /** 1 for the manager, 2 and 3 for the workers. */
  readonly index: number;
  readonly hostname: string;
  /** Its engine, DOCKER_HOST style; undefined for the manager (the default engine). */
  readonly host: string | undefined;
  readonly wiring: WorkerWiring | undefined;
}

export interface TestSwarm {
  readonly nodes: readonly SwarmNode[];
  readonly registry: string;
}

const WORKERS = [workerWiring(2), workerWiring(3)];
const TOOLS = ["ip", "iptables", "unshare", "nsenter", "umount", "docker-registry", "busybox", "htpasswd"];

export const managerNode = (): SwarmNode => ({ index: 1, hostname: hostname(), host: undefined, wiring: undefined });
const workerNode = (wiring: WorkerWiring): SwarmNode => ({ index: wiring.index, hostname: workerHostname(wiring.index), host: workerHost(wiring.index), wiring });

export async function startSwarm(): Promise<TestSwarm> {
  const missing = TOOLS.filter((tool) => !commandExists(tool));
  if (missing.length > 0) throw new Error(`the swarm harness needs ${missing.join(", ")}: run scripts/install-docker-debian.sh`);
  await teardownSwarm();
  const state = await managerSwarm();
  if (state.state !== "inactive") throw new Error(`this engine is already in a swarm (${state.state}, ${state.address}): the harness leaves it alone`);
  try {
    await wireBridge();
    await Promise.all(
      WORKERS.map(async (worker) => {
        await wireWorker(worker);
        await Promise.all([startRegistry(worker), startWorkerDockerd(worker)]);
      }),
    );
    await startRegistry();
    await dockerOn(undefined, ["swarm", "init", "--advertise-addr", MANAGER_ADDRESS, "--default-addr-pool", "10.78.0.0/16"]);
    const token = (await dockerOn(undefined, ["swarm", "join-token", "-q", "worker"])).trim();
    await Promise.all(
      WORKERS.map((worker) => dockerOn(workerHost(worker.index), ["swarm", "join", "--token", token, "--advertise-addr", worker.address, `${MANAGER_ADDRESS}:2377`])),
    );
    await waitFor("3 Ready nodes", async () => (await readyNodes()).length === 3, 60_000);
    return { nodes: [managerNode(), ...WORKERS.map(workerNode)], registry: REGISTRY };
  } catch (error) {
    await teardownSwarm();
    throw error;
  }
}

export interface LockedRegistry {
  readonly address: string;
  readonly username: string;
  readonly password: string;
}

/** A registry on every node that refuses pushes and pulls without this user and password (a fresh one per call); stopped by teardownSwarm. */
export async function startLockedRegistry(): Promise<LockedRegistry> {
  const username = "slipway-test";
  const password = randomBytes(12).toString("hex");
  const kind = await lockedRegistryKind(username, password);
  await Promise.all([startRegistry(undefined, kind), ...WORKERS.map((worker) => startRegistry(worker, kind))]);
  return { address: LOCKED_REGISTRY, username, password };
}

/** Hostnames of the swarm's nodes whose status is Ready. */
export async function readyNodes(): Promise<string[]> {
  const lines = (await dockerOn(undefined, ["node", "ls", "--format", "{{.Hostname}} {{.Status}}"])).split("\n");
  return lines.filter((line) => line.endsWith(" Ready")).map((line) => line.split(" ")[0] ?? "");
}

export async function managerSwarm(): Promise<{ state: string; address: string }> {
  const [state = "", address = ""] = (await dockerOn(undefined, ["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.NodeAddr}}"])).trim().split(" ");
  return { state, address };
}

export async function teardownSwarm(): Promise<void> {
  const { state, address } = await managerSwarm();
  const ours = state !== "inactive" && address === MANAGER_ADDRESS;
  if (ours) {
    const services = (await dockerOn(undefined, ["service", "ls", "-q"])).split("\n").filter((id) => id !== "");
    if (services.length > 0) await attempt("docker", ["service", "rm", ...services]);
  }
  await Promise.all(
    WORKERS.map(async (worker) => {
      await attempt("docker", ["-H", workerHost(worker.index), "swarm", "leave", "--force"], 20_000);
      await stopWorkerProcesses(worker);
      await stopRegistry(worker);
    }),
  );
  if (ours) await attempt("docker", ["swarm", "leave", "--force"], 30_000);
  // Docker makes docker_gwbridge for swarm only: an engine in no swarm has no use for it.
  if ((await managerSwarm()).state === "inactive") await attempt("docker", ["network", "rm", "docker_gwbridge"]);
  // Images the tests built here (a task container may have held one when its test removed it).
  const images = (await dockerOn(undefined, ["image", "ls", "-q", "--filter", "label=slipway.test=swarm"])).split("\n").filter((id) => id !== "");
  if (images.length > 0) await attempt("docker", ["image", "rm", "-f", ...new Set(images)]);
  await stopRegistry();
  await unmountState();
  for (const worker of WORKERS) await unwireWorker(worker);
  await unwireBridge();
  rmSync(STATE_LIB, { recursive: true, force: true });
  rmSync(STATE_RUN, { recursive: true, force: true });
}

/** Removes every image a test's project built or pulled here (by its slipway.project label). */
export async function removeProjectImages(project: string): Promise<void> {
  const ids = (await dockerOn(undefined, ["image", "ls", "-q", "--filter", `label=slipway.project=${project}`])).split("\n").filter((id) => id !== "");
  if (ids.length > 0) await attempt("docker", ["image", "rm", "-f", ...new Set(ids)]);
}
