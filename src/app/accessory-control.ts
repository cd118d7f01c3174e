/**
 * Changing one accessory, which a deploy never does: recreate it to match the compose files
 * (after a confirmation; its named volumes, which belong to the environment, are kept), restart
 * it, or read its logs. Under the environment's lock, so that no deployment starts it meanwhile.
 * On a swarm, the accessory is a service of the environment's accessories stack.
 */
import { rmSync, writeFileSync } from "node:fs";
import { privateDir } from "../core/private-files.js";
import { toYaml } from "../core/yaml-text.js";
import type { ComposeProject } from "../adapters/compose-cli.js";
import { composeErrorText } from "../adapters/compose-cli.js";
import { SlipwayError } from "../core/errors.js";
import { environmentDriver } from "../config/environment-driver.js";
import { LABEL } from "../plan/naming.js";
import { registryLogin } from "../plan/registry-images.js";
import { STACK_LABEL, planSwarmStack } from "../plan/swarm-stack.js";
import { openSnapshot } from "../pipeline/release-snapshot.js";
import { pullAccessoryImages } from "../pipeline/steps/accessory-images.js";
import { containersGone, deployStackContent } from "../pipeline/swarm/stack-steps.js";
import { composeEnvFile } from "../secrets/env-file.js";
import type { App } from "./app.js";
import { ACCESSORIES, accessoryContainers, accessoryLabels, accessoryStatus, planAccessories, type AccessoryStatus, type PlannedAccessories } from "./accessories.js";
import { openEnvironment, type ProjectRequest } from "./project.js";

const READY_DEADLINE_MS = 120_000;
const STOP_TIMEOUT_S = 10;

export interface AccessoryRequest extends ProjectRequest {
  readonly name: string;
}

export interface RecreateRequest extends AccessoryRequest {
  readonly actor: string;
  /** Shown what runs and how it differs from the files, says whether to recreate it. */
  readonly confirm: (accessory: AccessoryStatus) => Promise<boolean>;
  /** Called once when another deployment holds the environment and this waits for it. */
  readonly onWait?: (holder: string) => void;
  /** Progress: compose's lines and what is done. */
  readonly say: (text: string) => void;
}

function unknownAccessory(planned: PlannedAccessories, name: string): SlipwayError {
  const known = Object.keys(planned.services);
  return new SlipwayError("E_NOT_FOUND", `${name} is not an accessory of ${planned.resolved.project.name}; its accessories: ${known.join(", ") || "none"}`);
}

/** The accessories file and the one service's env file (0600, in a 0700 directory): the env file goes once compose has read it. */
function writeFiles(planned: PlannedAccessories, name: string): { project: ComposeProject; envFile?: string } {
  privateDir(planned.dir);
  const file = `${planned.dir}/accessories.yml`;
  writeFileSync(file, toYaml(planned.plan.files.accessories.content), { mode: 0o600 });
  const env = planned.plan.envFiles.find((f) => f.service === name);
  if (env) writeFileSync(env.path, composeEnvFile(env.values), { mode: 0o600 });
  const project = { projectName: planned.plan.files.accessories.projectName, files: [file], projectDirectory: planned.resolved.project.dir };
  return { project, ...(env ? { envFile: env.path } : {}) };
}

/** Running, and healthy when it has a healthcheck; a container that stops is a failure. */
async function waitReady(app: App, planned: PlannedAccessories, name: string): Promise<void> {
  const { name: project, environment } = planned.resolved.project;
  const deadline = app.clock.now() + READY_DEADLINE_MS;
  for (;;) {
    const [c] = await app.engine.containers(accessoryLabels(project, environment.name, name));
    if (c && c.status === "running" && (c.health === undefined || c.health === "healthy")) return;
    if (c && (c.status === "exited" || c.status === "dead")) throw new SlipwayError("E_START_FAILED", `${name} stopped (exit code ${c.exitCode}): slipway accessories logs ${name}`);
    if (app.clock.now() > deadline) throw new SlipwayError("E_START_FAILED", `${name} is not ready after ${READY_DEADLINE_MS / 1000} s (${c?.health ?? c?.status ?? "no container"}): slipway accessories logs ${name}`);
    await app.clock.sleep(500);
  }
}

async function recreate(app: App, planned: PlannedAccessories, name: string, say: (text: string) => void): Promise<void> {
  const { engine, compose } = app;
  const { name: project, environment } = planned.resolved.project;
  const labels = { [LABEL.managed]: "true", [LABEL.project]: project, [LABEL.environment]: environment.name };
  await engine.ensureNetwork(planned.plan.network, labels);
  await Promise.all(planned.plan.volumes.map((volume) => engine.ensureVolume(volume, labels)));
  const files = writeFiles(planned, name);
  try {
    await pullAccessoryImages(app, { project: files.project, planned: planned.services, services: [name], log: (line) => say(line) });
    // Named volumes are external to the project: recreating the container keeps them.
    const result = await compose.exec(files.project, ["up", "-d", "--no-deps", "--force-recreate", "--no-build", name], { onLine: (line) => say(line) });
    if (result.exitCode !== 0) throw new SlipwayError("E_START_FAILED", `${name} was not recreated: ${composeErrorText(result)}`);
  } finally {
    if (files.envFile) rmSync(files.envFile, { force: true });
  }
  await waitReady(app, planned, name);
}

/**
 * On a swarm, the accessory is a service of the environment's accessories stack, pinned to the
 * manager: removed, its task's container waited out (two tasks must never share its volume,
 * a database's above all), then deployed again alone from today's stack file (the others are
 * left as they are: a stack deploy without --prune touches only the services its file names).
 */
async function recreateOnSwarm(app: App, planned: PlannedAccessories, name: string, say: (text: string) => void): Promise<void> {
  const { resolved } = planned;
  const { name: project, environment } = resolved.project;
  const node = await app.stacks.nodeId();
  if (node === "") throw new SlipwayError("E_SWARM_UNAVAILABLE", "the Docker engine is not a swarm manager: run slipway check for what to do");
  const { accessories } = planSwarmStack({ model: resolved.model, classification: resolved.classification, project, environment: environment.name, release: ACCESSORIES, images: {}, replicas: {}, accessoryNode: node });
  const services = accessories.content.services as Record<string, unknown>;
  const [current] = await app.stacks.services({ [STACK_LABEL]: accessories.stack, [LABEL.service]: name });
  if (current) {
    say(`removing the service ${current.name}`);
    await app.stacks.removeServices([current.id]);
    if (!(await containersGone(app.engine, app.clock, accessoryLabels(project, environment.name, name), READY_DEADLINE_MS))) {
      throw new SlipwayError("E_START_FAILED", `the container of ${current.name} is still there ${READY_DEADLINE_MS / 1000} s after its service was removed: docker ps -a --filter label=slipway.service=${name}`);
    }
  }
  const login = registryLogin(resolved.project);
  const content = { ...accessories.content, services: { [name]: services[name] } };
  await deployStackContent(app.stacks, privateDir(planned.dir), accessories.stack, content, { onLine: (line) => say(line), ...(login ? { login } : {}) });
  await waitReady(app, planned, name);
}

/** Recreates the accessory from today's compose files, once confirmed; returns how it stands after. */
export async function recreateAccessory(app: App, request: RecreateRequest): Promise<AccessoryStatus> {
  const planned = await planAccessories(app, request);
  if (!planned.services[request.name]) throw unknownAccessory(planned, request.name);
  const { store, identity } = await app.deps();
  const { name: project, environment, dir } = planned.resolved.project;
  const environmentId = await store.ensureEnvironment(await store.ensureProject(project, dir), environment.name);
  await using _lock = await store.acquireLock(environmentId, { description: `accessories up ${request.name} by ${request.actor}`, pid: identity.pid, hostname: identity.hostname }, { ...(request.onWait ? { onWait: request.onWait } : {}) });
  const before = await accessoryStatus(app, planned, request.name, (await accessoryContainers(app, project, environment.name)).get(request.name));
  if (!(await request.confirm(before))) throw new SlipwayError("E_USAGE", `${request.name} was left as it is`);
  // In the history as a deployment of its own: it changes what runs.
  const id = await store.createDeployment({ environmentId, kind: "accessories up", ref: request.name, actor: request.actor, pid: identity.pid });
  await store.updateDeployment(id, { status: "running" });
  try {
    if (environmentDriver(environment.settings) === "swarm") await recreateOnSwarm(app, planned, request.name, request.say);
    else await recreate(app, planned, request.name, request.say);
  } catch (error) {
    await store.updateDeployment(id, { status: "failed", error: app.redactor.apply((error as Error).message), finishedAt: new Date(app.clock.now()) });
    throw error;
  }
  await store.updateDeployment(id, { status: "succeeded", finishedAt: new Date(app.clock.now()) });
  return await accessoryStatus(app, planned, request.name, (await accessoryContainers(app, project, environment.name)).get(request.name));
}

/** The accessory's container, whatever its state, or E_NOT_FOUND. */
async function containerOf(app: App, request: AccessoryRequest): Promise<{ id: string; environmentId: number; swarmService?: string }> {
  const env = await openEnvironment(app, request, { variables: true });
  const found = (await accessoryContainers(app, env.project.name, env.project.environment.name)).get(request.name);
  if (!found) throw new SlipwayError("E_NOT_FOUND", `no container of the accessory ${request.name} exists in ${env.project.environment.name}: a deploy starts it`);
  // What it prints may hold the values it was given: the live release's are known to the redactor.
  const { store } = await app.deps();
  const live = await store.liveRelease(env.environmentId);
  if (live?.sealed !== undefined) app.redactor.add(openSnapshot(live, () => app.sealer({ create: false })).secrets);
  const swarmService = found.labels["com.docker.swarm.service.id"];
  return { id: found.id, environmentId: env.environmentId, ...(swarmService ? { swarmService } : {}) };
}

export async function restartAccessory(app: App, request: AccessoryRequest & { readonly actor: string; readonly onWait?: (holder: string) => void }): Promise<void> {
  const { id, environmentId, swarmService } = await containerOf(app, request);
  const { store, identity } = await app.deps();
  await using _lock = await store.acquireLock(environmentId, { description: `accessories restart ${request.name} by ${request.actor}`, pid: identity.pid, hostname: identity.hostname }, { ...(request.onWait ? { onWait: request.onWait } : {}) });
  // A swarm task's container restarted by hand would be taken for a failed task and replaced beside it.
  if (swarmService) await app.stacks.restartService(swarmService);
  else await app.engine.restartContainers([id], STOP_TIMEOUT_S);
}

export async function accessoryLogs(
  app: App,
  request: AccessoryRequest & { readonly follow: boolean; readonly onLine: (line: string, stream: "stdout" | "stderr") => void; readonly signal?: AbortSignal },
): Promise<void> {
  const { id } = await containerOf(app, request);
  await app.engine.logs(id, { follow: request.follow, onLine: (line, stream) => request.onLine(app.redactor.apply(line), stream), ...(request.signal ? { signal: request.signal } : {}) });
}
