/**
 * The wiring of the test swarm: a host bridge (10.77.0.1/24) and one network namespace per
 * worker node, joined to it by a veth pair (10.77.0.N). No default route inside a namespace,
 * so a pull that would leave the machine fails at once instead of after a 20 s DNS timeout.
 * Every name here is fixed, so a later run can remove what a killed run left.
 */
import { runCommand } from "../../src/adapters/run-command.js";

export const BRIDGE = "slw-swarm0";
export const MANAGER_ADDRESS = "10.77.0.1";
// Bridged worker-to-worker traffic goes through FORWARD, whose policy Docker sets to DROP.
const FORWARD_RULE = ["DOCKER-USER", "-i", BRIDGE, "-o", BRIDGE, "-j", "ACCEPT"];

export interface WorkerWiring {
  /** 2, 3, …: the last byte of its address and its number in every name. */
  readonly index: number;
  readonly netns: string;
  readonly address: string;
}

export const workerWiring = (index: number): WorkerWiring => ({ index, netns: `slw-swarm-${index}`, address: `10.77.0.${index}` });
const hostVeth = (index: number): string => `slw-sw${index}h`;
const nodeVeth = (index: number): string => `slw-sw${index}n`;

/** Runs a command that must succeed; its stderr in the error otherwise. */
export async function must(command: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const result = await runCommand(command, args, { timeoutMs });
  if (result.exitCode !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.exitCode}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** Runs a command whose failure means "already gone": teardown tolerates it. */
export async function attempt(command: string, args: readonly string[], timeoutMs = 60_000): Promise<boolean> {
  const result = await runCommand(command, args, { timeoutMs }).catch(() => undefined);
  return result?.exitCode === 0;
}

export async function wireBridge(): Promise<void> {
  await must("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  await must("ip", ["addr", "add", `${MANAGER_ADDRESS}/24`, "dev", BRIDGE]);
  await must("ip", ["link", "set", BRIDGE, "up"]);
  if (!(await attempt("iptables", ["-C", ...FORWARD_RULE]))) await must("iptables", ["-I", ...FORWARD_RULE]);
}

export async function wireWorker(worker: WorkerWiring): Promise<void> {
  const inside = ["netns", "exec", worker.netns, "ip"];
  await must("ip", ["netns", "add", worker.netns]);
  await must("ip", ["link", "add", hostVeth(worker.index), "type", "veth", "peer", "name", nodeVeth(worker.index)]);
  await must("ip", ["link", "set", hostVeth(worker.index), "master", BRIDGE, "up"]);
  await must("ip", ["link", "set", nodeVeth(worker.index), "netns", worker.netns]);
  await must("ip", [...inside, "addr", "add", `${worker.address}/24`, "dev", nodeVeth(worker.index)]);
  await must("ip", [...inside, "link", "set", nodeVeth(worker.index), "up"]);
  await must("ip", [...inside, "link", "set", "lo", "up"]);
}

export async function unwireWorker(worker: WorkerWiring): Promise<void> {
  await attempt("ip", ["link", "del", hostVeth(worker.index)]);
  await attempt("ip", ["netns", "del", worker.netns]);
}

export async function unwireBridge(): Promise<void> {
  while (await attempt("iptables", ["-D", ...FORWARD_RULE]));
  await attempt("ip", ["link", "del", BRIDGE]);
}

export async function netnsList(): Promise<string[]> {
  return (await must("ip", ["netns", "list"])).split("\n").map((line) => line.split(" ")[0] ?? "").filter((name) => name !== "");
}

export async function bridgeExists(): Promise<boolean> {
  return attempt("ip", ["link", "show", BRIDGE]);
}
