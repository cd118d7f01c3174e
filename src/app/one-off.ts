/**
 * One-off commands against the live release. `run` starts a fresh container from the live
 * release's image of a service, in the release's own compose project (its volumes, its network
 * to the accessories) with the variables the release runs with, and removes it when it exits;
 * `exec` runs in a running container of the live release, or of an accessory. Their output is the
 * person's own command's: handed over as it is, never stored. The result is its exit code. On a
 * swarm, `run` is a one-task job and `exec` goes to a task's container on this node, or on
 * another through that node's Docker CLI context.
 */
import type { ComposeProject, ExecOptions } from "../adapters/compose-cli.js";
import type { CliOutput } from "../adapters/swarm-stacks.js";
import { environmentDriver } from "../config/environment-driver.js";
import { SlipwayError } from "../core/errors.js";
import { LABEL } from "../plan/naming.js";
import { registryLogin, registryReference } from "../plan/registry-images.js";
import { jobOf, planSwarmStack } from "../plan/swarm-stack.js";
import { JOB_ENDED } from "../pipeline/swarm/task-wait.js";
import { oneOffArgs, oneOffRole } from "../plan/one-off.js";
import { serviceVariables } from "../plan/runtime-variables.js";
import { openSnapshot } from "../pipeline/release-snapshot.js";
import type { App } from "./app.js";
import { liveReleaseOf, withPlannedFile, type LiveRelease } from "./live-release.js";
import { openEnvironment, openEnvironmentForRegistry, type OpenEnvironment, type ProjectRequest } from "./project.js";

/**
 * How the command's streams are wired. `inherit`: compose gets the caller's own standard
 * streams (a terminal, a pipe, a file: bytes as they are, stdin included), with a terminal in
 * the container when `tty`. `lines`: its output comes back line by line (a shell that has no
 * streams to hand over, such as a server), without stdin.
 */
export type OneOffStdio =
  | { readonly mode: "inherit"; readonly tty: boolean }
  | { readonly mode: "lines"; readonly onLine: (line: string, stream: "stdout" | "stderr") => void; readonly signal?: AbortSignal };

export interface OneOffRequest extends ProjectRequest {
  readonly service: string;
  /** The command and its arguments, word for word; none runs the service's own command. */
  readonly command: readonly string[];
  readonly stdio: OneOffStdio;
}

function classificationOf(live: LiveRelease): NonNullable<LiveRelease["snapshot"]>["classification"] {
  if (!live.snapshot) throw new SlipwayError("E_NOT_FOUND", `${live.name} keeps no configuration snapshot, so its services are unknown: deploy again first`);
  return live.snapshot.classification;
}

async function execute(app: App, project: ComposeProject, args: readonly string[], stdio: OneOffStdio, env: Readonly<Record<string, string>> = {}): Promise<number> {
  // Handed over, compose answers the terminal's own signals (Ctrl-C reaches the container); no
  // abort of ours cuts it short.
  const options: ExecOptions = stdio.mode === "inherit" ? { inheritStdio: true, env } : { onLine: stdio.onLine, env, ...(stdio.signal ? { signal: stdio.signal } : {}) };
  return (await app.compose.exec(project, args, options)).exitCode;
}

const swarmOf = (env: OpenEnvironment): boolean => environmentDriver(env.project.environment.settings) === "swarm";

/**
 * `run` on a swarm: a replicated job of one task, from the live release's pushed image of the
 * service, on the environment's overlay network (its accessories), with the variables the
 * release runs with; waited for, its output shown once it ends (a job has no terminal and no
 * input), its exit code the result, removed whatever happened.
 */
async function runOnSwarm(app: App, env: OpenEnvironment, live: LiveRelease, request: OneOffRequest): Promise<number> {
  const { store } = await app.deps();
  const { name: project, environment } = env.project;
  const { snapshot, secrets } = openSnapshot(live.row, () => app.sealer({ create: false }));
  app.redactor.add(secrets);
  const [release] = await store.releases(env.environmentId, { statuses: ["live"] });
  const registry = environment.settings?.registry;
  if (!release || registry === undefined) throw new SlipwayError("E_NOT_FOUND", `nothing is live in ${environment.name}: deploy it first`);
  const service = snapshot.model.services[request.service] ?? {};
  const planned = planSwarmStack({ model: snapshot.model, classification: snapshot.classification, project, environment: environment.name, release: live.runsAs, images: {}, replicas: {} });
  const login = registryLogin(env.project);
  const variables = serviceVariables(service.environment);
  const name = `${project}-${environment.name}-run-${app.clock.now().toString(36)}`;
  const job = jobOf(service, {
    name,
    image: registryReference(registry, request.service, release.tag),
    networks: planned.networks.slice(0, 1),
    labels: { [LABEL.managed]: "true", [LABEL.project]: project, [LABEL.environment]: environment.name, [LABEL.release]: live.runsAs, [LABEL.service]: request.service, [LABEL.oneOff]: "run" },
  });
  const id = await app.stacks.createJob({
    ...job,
    ...(request.command.length > 0 ? { command: request.command } : {}),
    env: Object.entries(variables).map(([k, v]) => `${k}=${v}`),
    ...(login ? { login } : {}),
  });
  const { stdio } = request;
  const output: CliOutput = stdio.mode === "lines" ? { onLine: (line, stream) => stdio.onLine(app.redactor.apply(line), stream) } : { inherit: true };
  try {
    const signal = stdio.mode === "lines" ? stdio.signal : undefined;
    for (;;) {
      const [ended] = (await app.stacks.tasks(id)).filter((t) => JOB_ENDED.has(t.state));
      if (ended) {
        await app.stacks.showLogs(id, output);
        if (ended.state === "complete") return 0;
        if (ended.exitCode !== undefined) return ended.exitCode;
        throw new SlipwayError("E_START_FAILED", `the job ${name} ended ${ended.state}${ended.error ? `: ${ended.error}` : ""}`);
      }
      if (signal?.aborted) return 130;
      await app.clock.sleep(300);
    }
  } finally {
    await app.stacks.removeServices([id]);
  }
}

/**
 * `exec` on a swarm: in a running task's container on this node (the accessories' are), else in
 * one on another node through the Docker CLI context named after that node's hostname (`docker
 * context create <hostname> --docker host=ssh://…`): the manager's engine cannot reach into
 * another node's containers.
 */
async function execOnSwarm(app: App, env: OpenEnvironment, release: string, request: OneOffRequest): Promise<number> {
  const labels = { [LABEL.project]: env.project.name, [LABEL.environment]: env.project.environment.name, [LABEL.release]: release, [LABEL.service]: request.service };
  const command = request.command.length > 0 ? request.command : ["sh"];
  const tty = request.stdio.mode === "inherit" && request.stdio.tty;
  const output = request.stdio.mode === "lines" ? { onLine: request.stdio.onLine } : { inherit: true as const, tty };
  const [here] = (await app.engine.containers(labels)).filter((c) => c.status === "running" && c.labels[LABEL.oneOff] === undefined);
  if (here) return app.stacks.execIn(here.id, command, output);
  const service = `${env.project.name}-${env.project.environment.name}-${release}_${request.service}`;
  const tasks = (await Promise.all((await app.stacks.services(labels)).map((s) => app.stacks.tasks(s.id)))).flat().filter((t) => t.state === "running" && t.containerId !== undefined);
  if (tasks.length === 0) throw new SlipwayError("E_NOT_FOUND", `no task of ${request.service} is running: docker service ps ${service} says why`);
  const hostnames = new Map((await app.swarm.nodes()).map((node) => [node.id, node.hostname]));
  const elsewhere = [...new Set(tasks.map((t) => hostnames.get(t.nodeId) ?? t.nodeId))];
  for (const task of tasks) {
    const node = hostnames.get(task.nodeId);
    if (node && (await app.stacks.hasContext(node))) return app.stacks.execIn(task.containerId ?? "", command, { ...output, context: node });
  }
  throw new SlipwayError(
    "E_NOT_FOUND",
    `no task of ${request.service} runs on this node (they run on ${elsewhere.join(", ")}), and the Docker CLI has no context for ${elsewhere.length === 1 ? "that node" : "any of them"}: create one named after the node, such as docker context create ${elsewhere[0] ?? "NODE"} --docker host=ssh://USER@${elsewhere[0] ?? "NODE"}, and exec again`,
  );
}

export async function runOneOff(app: App, request: OneOffRequest): Promise<number> {
  const env = await openEnvironmentForRegistry(app, request);
  const live = await liveReleaseOf(app, env);
  oneOffRole(classificationOf(live), request.service, "run", live.name);
  if (swarmOf(env)) return runOnSwarm(app, env, live, request);
  // The variables its containers got are in the release's sealed snapshot only (their env files
  // went once it started): given to compose's environment and named with -e, never on disk.
  const { snapshot, secrets } = openSnapshot(live.row, () => app.sealer({ create: false }));
  app.redactor.add(secrets);
  const variables = serviceVariables(snapshot.model.services[request.service]?.environment);
  const tty = request.stdio.mode === "inherit" && request.stdio.tty;
  const args = oneOffArgs({ verb: "run", service: request.service, command: request.command, tty, variables: Object.keys(variables).sort() });
  return execute(app, withPlannedFile(live.project, live.name), args, request.stdio, variables);
}

/** The release's (or the accessories') running container the command goes to, or E_NOT_FOUND. */
async function assertRunning(app: App, env: OpenEnvironment, release: string, service: string): Promise<void> {
  const labels = { [LABEL.project]: env.project.name, [LABEL.environment]: env.project.environment.name, [LABEL.release]: release, [LABEL.service]: service };
  const running = (await app.engine.containers(labels)).filter((c) => c.status === "running" && c.labels[LABEL.oneOff] === undefined);
  if (running.length === 0) throw new SlipwayError("E_NOT_FOUND", `no container of ${service} runs in ${release === "accessories" ? "the accessories" : release}: see slipway status`);
}

export async function execOneOff(app: App, request: OneOffRequest): Promise<number> {
  const env = await openEnvironment(app, request);
  const live = await liveReleaseOf(app, env);
  const role = oneOffRole(classificationOf(live), request.service, "exec", live.name);
  const accessory = role === "accessory";
  if (swarmOf(env)) return execOnSwarm(app, env, accessory ? "accessories" : live.runsAs, request);
  await assertRunning(app, env, accessory ? "accessories" : live.runsAs, request.service);
  const tty = request.stdio.mode === "inherit" && request.stdio.tty;
  const args = oneOffArgs({ verb: "exec", service: request.service, command: request.command, tty });
  return execute(app, withPlannedFile(accessory ? live.accessories : live.project, live.name), args, request.stdio);
}
