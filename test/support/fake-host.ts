/**
 * In-memory fakes of what a deployment drives (engine, compose, git, router), sharing one
 * state: compose `up` creates containers the engine then lists, `down` removes them, `build`
 * makes the images it names. For the pipeline's rules, without Docker. Each fake is small:
 * only what the steps call, and a failure can be injected at any command.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ComposeCli, ComposeProject, ExecOptions } from "../../src/adapters/compose-cli.js";
import type { ContainerState, Engine } from "../../src/adapters/docker-engine.js";
import type { Git } from "../../src/adapters/git.js";
import type { CommandResult } from "../../src/adapters/run-command.js";
import type { Router, RouterServer } from "../../src/router/router.js";

export interface FakeHost {
  readonly containers: Map<string, ContainerState>;
  readonly images: Set<string>;
  /** The labels `build` gave each image (its build key among them). */
  readonly imageLabels: Map<string, Record<string, string>>;
  /** backend → servers */
  readonly servers: Map<string, RouterServer[]>;
  /** Every compose command run, as "verb project" ("up demo-production-v1"). */
  readonly calls: string[];
  /**
   * Injected failures: a compose verb that exits with this code ("build", "run", "up", "down",
   * "stop"); "ping" or "containers" for the engine; "export" for git; "addServer" or "removeServer" for the router;
   * "crash" for containers that exit as soon as they start.
   */
  readonly fail: Map<string, number>;
  /** Called when a compose verb starts: a test aborts or kills there. */
  onCompose?: (verb: string, options: ExecOptions) => void | Promise<void>;
}

export function fakeHost(): FakeHost {
  return { containers: new Map(), images: new Set(), imageLabels: new Map(), servers: new Map(), calls: [], fail: new Map() };
}

const ok: CommandResult = { exitCode: 0, stdout: "", stderr: "" };
const matches = (labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean => Object.entries(wanted).every(([k, v]) => labels[k] === v);

interface PlannedService {
  image?: string;
  build?: { labels?: Record<string, string> };
  labels?: Record<string, string>;
  ports?: Array<{ target: number }>;
}

function services(file: string | undefined): Record<string, PlannedService> {
  if (!file) return {};
  return ((parse(readFileSync(file, "utf8")) as { services?: Record<string, PlannedService> }).services ?? {});
}

/** `up`: one running container a service, its routed ports published on `port` (a real test server). */
function up(host: FakeHost, project: ComposeProject, only: readonly string[], port: number): void {
  for (const [name, service] of Object.entries(services(project.files[0]))) {
    if (only.length > 0 && !only.includes(name)) continue;
    const id = `${project.projectName}-${name}-1`;
    const labels = { ...service.labels, "com.docker.compose.project": project.projectName, "com.docker.compose.container-number": "1" };
    const ports = (service.ports ?? []).map((p) => ({ containerPort: p.target, hostIp: "127.0.0.1", hostPort: port }));
    // fail "crash": the new containers exit at once (verify sees them die).
    const crashed = host.fail.has("crash");
    host.containers.set(id, { id, name: id, status: crashed ? "exited" : "running", exitCode: crashed ? 3 : 0, restartCount: 0, labels, ports });
  }
}

export function fakeCompose(host: FakeHost, options: { port: number }): ComposeCli {
  return {
    async exec(project, args, execOptions = {}) {
      const verb = args[0] ?? "";
      host.calls.push(`${verb} ${project.projectName}`);
      await host.onCompose?.(verb, execOptions);
      execOptions.signal?.throwIfAborted();
      const code = host.fail.get(verb);
      if (code !== undefined) return { exitCode: code, stdout: "", stderr: `${verb} failed` };
      if (verb === "build") {
        for (const service of Object.values(services(project.files[0]))) {
          if (!service.image) continue;
          host.images.add(service.image);
          host.imageLabels.set(service.image, service.build?.labels ?? {});
        }
      }
      if (verb === "up") up(host, project, args.slice(1).filter((a) => !a.startsWith("-") && a !== "never"), options.port);
      if (verb === "down") for (const [id, c] of host.containers) if (c.labels["com.docker.compose.project"] === project.projectName) host.containers.delete(id);
      if (verb === "stop") {
        for (const [id, c] of host.containers) if (c.labels["com.docker.compose.project"] === project.projectName && args.includes(c.labels["slipway.service"] ?? "")) host.containers.set(id, { ...c, status: "exited" });
      }
      return ok;
    },
    version: () => Promise.resolve("2.26.1"),
    config: () => Promise.reject(new Error("the fake compose reads no model")),
  };
}

export function fakeEngine(host: FakeHost): Engine {
  const set = (ids: readonly string[], status: string): void => {
    for (const id of ids) {
      const c = host.containers.get(id);
      if (c) host.containers.set(id, { ...c, status });
    }
  };
  return {
    ping: () => (host.fail.has("ping") ? Promise.reject(new Error("the engine does not answer")) : Promise.resolve("28.0.0")),
    ensureNetwork: () => Promise.resolve(),
    ensureVolume: () => Promise.resolve(),
    removeNetwork: () => Promise.resolve(),
    removeVolume: () => Promise.resolve(),
    removeNetworks: () => Promise.resolve([]),
    volumes: () => Promise.resolve([]),
    containers: (labels) => (host.fail.has("containers") ? Promise.reject(new Error("the engine lost its list")) : Promise.resolve([...host.containers.values()].filter((c) => matches(c.labels, labels)))),
    logsTail: () => Promise.resolve(["a line of the container's log"]),
    containerSpec: () => Promise.resolve(undefined),
    logs: (_id, options) => Promise.resolve(options.onLine("a line of the container's log", "stdout")),
    restartContainers: (ids) => Promise.resolve(set(ids, "running")),
    startContainers: (ids) => Promise.resolve(set(ids, "running")),
    stopContainers: (ids) => Promise.resolve(set(ids, "exited")),
    pauseContainers: (ids) => Promise.resolve(set(ids, "paused")),
    unpauseContainers: (ids) => Promise.resolve(set(ids, "running")),
    runHealthcheck: (id) => Promise.resolve(host.containers.get(id)?.status === "running" ? undefined : "the container does not run"),
    removeContainers: (ids) => Promise.resolve(void ids.forEach((id) => host.containers.delete(id))),
    setRestartPolicy: () => Promise.resolve(),
    claimedPorts: () => Promise.resolve([...host.containers.values()].flatMap((c) => c.ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, labels: c.labels })))),
    image: (reference) => Promise.resolve(host.images.has(reference) ? { id: `sha256:${reference}`, labels: host.imageLabels.get(reference) ?? {} } : undefined),
    images: () => Promise.resolve([]),
    tagImage: (_id, reference) => Promise.resolve(void host.images.add(reference)),
    removeImage: (reference) => Promise.resolve(void host.images.delete(reference)),
  };
}

export function fakeGit(host: FakeHost, commit: string): Git {
  return {
    head: () => Promise.resolve({ commit, dirty: false }),
    resolve: () => Promise.resolve(commit),
    prefix: () => Promise.resolve(""),
    snapshot: () => Promise.resolve(undefined),
    exportTree: (_dir, _commit, dest) => (host.fail.has("export") ? Promise.reject(new Error("git archive failed")) : Promise.resolve(void mkdirSync(dest, { recursive: true }))),
    remoteUrl: () => Promise.resolve(undefined),
  };
}

export function fakeRouter(host: FakeHost): Router {
  const failing = (method: string): void => {
    if (host.fail.has(method)) throw new Error(`the router refused ${method}`);
  };
  const list = (backend: string): RouterServer[] => host.servers.get(backend) ?? [];
  return {
    ensure: () => Promise.resolve({ created: false, reloaded: false }),
    persist: () => undefined,
    servers: (backend) => Promise.resolve(list(backend)),
    addServer(backend, name, address) {
      failing("addServer");
      host.servers.set(backend, [...list(backend).filter((s) => s.name !== name), { name, address, state: "ready", sessions: 0 }]);
      return Promise.resolve();
    },
    drainServer(backend, name) {
      host.servers.set(backend, list(backend).map((s) => (s.name === name ? { ...s, state: "drain" } : s)));
      return Promise.resolve();
    },
    removeServer(backend, name) {
      failing("removeServer");
      host.servers.set(backend, list(backend).filter((s) => s.name !== name));
      return Promise.resolve();
    },
    info: () => Promise.resolve({ pid: 1, uptimeSeconds: 1, containerId: "router" }),
    remove: () => Promise.resolve(),
    web: { http: 80, https: 443 },
    installCertificate: () => Promise.resolve("written"),
    removeCertificate: () => Promise.resolve(),
    certificate: () => undefined,
    setChallenge: () => Promise.resolve(),
    clearChallenge: () => Promise.resolve(),
  };
}
