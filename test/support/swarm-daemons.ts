/**
 * The long-running processes of the test swarm: a dockerd per worker (its own hostname, network
 * namespace, data and exec roots, socket) and a `docker-registry serve` per network namespace,
 * all on 127.0.0.1:5000 and sharing one storage directory (and, for the tests that want one, a
 * locked registry the same way on 127.0.0.1:5001). Started detached, their pids kept in
 * files under STATE_RUN, stopped by pid and waited for.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attempt, must, type WorkerWiring } from "./swarm-network.js";

export const STATE_LIB = "/var/lib/slipway-swarm-test";
export const STATE_RUN = "/run/slipway-swarm-test";
export const REGISTRY = "127.0.0.1:5000";
export const workerSocket = (index: number): string => `/run/docker${index}.sock`;
export const workerHost = (index: number): string => `unix://${workerSocket(index)}`;
export const workerHostname = (index: number): string => `slw-node${index}`;
const utsFile = (index: number): string => join(STATE_RUN, `uts-${index}`);
/** 127.0.0.1:5001 in every namespace: a registry that wants a user and password (htpasswd). */
export const LOCKED_REGISTRY = "127.0.0.1:5001";
const LOCKED = "locked-registry";
const registryPidFile = (name: string, where: string): string => join(STATE_RUN, `${name}-${where}.pid`);

/** Which registry: the open one every test pushes to, or the locked one. */
interface RegistryKind {
  readonly name: string;
  readonly address: string;
  /** The htpasswd file (bcrypt) of the locked registry. */
  readonly htpasswd?: string;
}
const OPEN: RegistryKind = { name: "registry", address: REGISTRY };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");

function startDetached(command: string, args: readonly string[], logFile: string): number {
  const log = openSync(logFile, "a");
  try {
    const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopPid(pid: number, graceMs = 20_000): Promise<void> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (!alive(pid)) return;
  signal("SIGKILL");
  while (alive(pid)) await sleep(100);
}

/** Every process inside the network namespace: what a worker's dockerd left (containerd, shims). */
export function pidsInNetns(netns: string): number[] {
  const path = `/run/netns/${netns}`;
  if (!existsSync(path)) return [];
  const inode = `net:[${statSync(path).ino}]`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readlinkSync(`/proc/${entry}/ns/net`) === inode;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const registryConfig = (kind: RegistryKind, storage: string): string =>
  [
    "version: 0.1",
    "log: { level: warn }",
    `storage: { filesystem: { rootdirectory: ${storage} }, delete: { enabled: true } }`,
    `http: { addr: "${kind.address}" }`,
    ...(kind.htpasswd ? [`auth: { htpasswd: { realm: slipway-test, path: ${kind.htpasswd} } }`] : []),
    "",
  ].join("\n");

/** One registry in the host's namespace (`worker` undefined: the manager's) or in a worker's. */
export async function startRegistry(worker?: WorkerWiring, kind: RegistryKind = OPEN): Promise<void> {
  const where = worker ? String(worker.index) : "manager";
  const config = join(STATE_LIB, `${kind.name}.yml`);
  mkdirSync(join(STATE_LIB, kind.name), { recursive: true });
  mkdirSync(STATE_RUN, { recursive: true });
  writeFileSync(config, registryConfig(kind, join(STATE_LIB, kind.name)));
  const serve = ["docker-registry", "serve", config];
  const [command = "", ...args] = worker ? ["nsenter", `--net=/run/netns/${worker.netns}`, "--", ...serve] : serve;
  const pid = startDetached(command, args, join(STATE_LIB, `${kind.name}-${where}.log`));
  writeFileSync(registryPidFile(kind.name, where), `${pid}\n`);
  // The root answers 200 whether or not the API wants credentials.
  const wget = ["busybox", "wget", "-q", "-O", "/dev/null", `http://${kind.address}/`];
  const probe = worker ? ["ip", "netns", "exec", worker.netns, ...wget] : wget;
  await waitFor(`the ${kind.name} of ${where}`, async () => alive(pid) && (await attempt(probe[0] ?? "", probe.slice(1), 5_000)));
}

export async function stopRegistry(worker?: WorkerWiring): Promise<void> {
  for (const name of [OPEN.name, LOCKED]) {
    const file = registryPidFile(name, worker ? String(worker.index) : "manager");
    const pid = readPid(file);
    if (pid !== undefined && alive(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("registry")) await stopPid(pid);
    rmSync(file, { force: true });
  }
}

/** The locked registry's kind, its users in an htpasswd file made with htpasswd (bcrypt, which the registry wants). */
export async function lockedRegistryKind(username: string, password: string): Promise<RegistryKind> {
  mkdirSync(STATE_LIB, { recursive: true });
  const htpasswd = join(STATE_LIB, `${LOCKED}.htpasswd`);
  writeFileSync(htpasswd, await must("htpasswd", ["-nbB", username, password]));
  return { name: LOCKED, address: LOCKED_REGISTRY, htpasswd };
}

export async function startWorkerDockerd(worker: WorkerWiring): Promise<void> {
  const dir = join(STATE_LIB, `node${worker.index}`);
  const run = join(STATE_RUN, `node${worker.index}`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(run, { recursive: true });
  writeFileSync(join(dir, "daemon.json"), "{}\n"); // not the host's daemon.json
  // A UTS namespace of its own, kept by a bind mount, so the node has its own hostname.
  writeFileSync(utsFile(worker.index), "");
  await must("unshare", [`--uts=${utsFile(worker.index)}`, "hostname", workerHostname(worker.index)]);
  // nsenter --net, not `ip netns exec`, which hides the cgroup mounts dockerd needs.
  const args = [`--uts=${utsFile(worker.index)}`, `--net=/run/netns/${worker.netns}`, "--", "dockerd", "--config-file", join(dir, "daemon.json")];
  args.push("--data-root", join(dir, "data"), "--exec-root", join(run, "exec"), "--pidfile", join(run, "dockerd.pid"));
  args.push("-H", workerHost(worker.index), "--bip", `10.79.${worker.index}.1/24`);
  startDetached("nsenter", args, join(dir, "dockerd.log"));
  await waitFor(`the dockerd of node ${worker.index}`, () => attempt("docker", ["-H", workerHost(worker.index), "info", "--format", "{{.ID}}"], 10_000), 60_000);
}

/** Stops the worker's dockerd and whatever else still runs in its namespace. */
export async function stopWorkerProcesses(worker: WorkerWiring): Promise<void> {
  const dockerd = readPid(join(STATE_RUN, `node${worker.index}`, "dockerd.pid"));
  if (dockerd !== undefined && alive(dockerd)) await stopPid(dockerd, 30_000);
  await Promise.all(pidsInNetns(worker.netns).map((pid) => stopPid(pid, 5_000)));
}

/** Unmounts every mount under the state directories, deepest first. */
export async function unmountState(): Promise<void> {
  const mounts = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => (line.split(" ")[1] ?? "").replaceAll("\\040", " "))
    .filter((point) => [STATE_LIB, STATE_RUN].some((root) => point === root || point.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await attempt("umount", ["-l", point]);
}

export async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export async function dockerOn(host: string | undefined, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  return must("docker", [...(host ? ["-H", host] : []), ...args], timeoutMs);
}

/** The program is on PATH (or in the sbin directories root's PATH usually holds). */
export function commandExists(command: string): boolean {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"].filter((dir) => dir !== "");
  return dirs.some((dir) => existsSync(join(dir, command)));
}
