/**
 * The steps of a swarm deployment that make the new release run: preflight (the manager, the
 * environment's overlay networks, its accessories' stack, the router), start (the release's
 * own stack, every image by digest) and verify (every task of every service running, which
 * Swarm reports only once a task's healthcheck passes). A failure takes the new stack away.
 */
import { rmSync, writeFileSync } from "node:fs";
import type { Engine } from "../../adapters/docker-engine.js";
import type { SwarmStacks } from "../../adapters/swarm-stacks.js";
import type { Clock } from "../../core/clock.js";
import { SlipwayError } from "../../core/errors.js";
import { privateDirsUnder } from "../../core/private-files.js";
import { toYaml } from "../../core/yaml-text.js";
import { backendName, readRegistry } from "../route-registry.js";
import { ensureEnvironmentCertificate } from "../steps/certificate.js";
import { LABEL } from "../../plan/naming.js";
import { STACK_LABEL, planSwarmStack, type SwarmStackPlan } from "../../plan/swarm-stack.js";
import { swarmReplicas } from "../../plan/swarm-replicas.js";
import type { DeployRun, SwarmRouting } from "../deploy-run.js";
import { removeStrayStacks } from "../reconcile.js";
import { withRouterLock } from "../router-lock.js";
import { loginOf, pushImages } from "../steps/push.js";
import { portConflicts, readSwarmRoutes, withSwarmRoutes, writeSwarmRoutes } from "./route-table.js";
import { notRunning, readyingTracker, taskWaitEnds } from "./task-wait.js";

const ACCESSORY_DEADLINE_MS = 120_000;
const POLL_MS = 300;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function swarmParts(run: DeployRun): { stacks: SwarmStacks; router: SwarmRouting } {
  const { stacks, swarmRouter } = run.deps;
  if (!stacks || !swarmRouter) throw new SlipwayError("E_INTERNAL", "this deployment was given no swarm manager to deploy to");
  return { stacks, router: swarmRouter };
}

/** The registry of a swarm environment (the schema requires it with driver: swarm). */
function registryOf(run: DeployRun): string {
  const registry = run.request.resolved.project.environment.settings?.registry;
  if (!registry) throw new SlipwayError("E_CONFIG_INVALID", `environment ${run.plan.environment} uses driver: swarm without a registry`);
  return registry;
}

/**
 * The images' digests, for the steps that run them. A reused build (a promotion, a rollback) was
 * pushed when it was built; pushing again costs a round trip per layer and gives the digests back.
 */
export async function ensurePushed(run: DeployRun): Promise<void> {
  run.pushed ??= await pushImages(run, registryOf(run));
}

/**
 * The stack of the run's release (or, for a fast rollback, of the kept release it scales back);
 * its images by digest once they are pushed.
 */
export function planStack(run: DeployRun, accessoryNode?: string): SwarmStackPlan {
  const { model, classification, project } = run.request.resolved;
  const images = Object.fromEntries((run.pushed ?? []).map((p) => [p.service, `${p.reference.replace(/:[^:/]+$/, "")}@${p.digest}`]));
  const apps = classification.services.filter((s) => s.role === "app").map((s) => s.name);
  const { replicas } = swarmReplicas(model, apps, project.environment.settings?.replicas);
  return planSwarmStack({ model, classification, project: run.plan.project, environment: run.plan.environment, release: run.release.runsAs, images, replicas, ...(accessoryNode ? { accessoryNode } : {}) });
}

/**
 * Writes a stack file into `dir` (a private directory: the file holds the services' variables)
 * and deploys it; the file is removed at once.
 */
export async function deployStackContent(stacks: SwarmStacks, dir: string, name: string, content: Record<string, unknown>, options: Parameters<SwarmStacks["deployStack"]>[2]): Promise<void> {
  const file = `${dir}/${name}.stack.yml`;
  writeFileSync(file, toYaml(content), { mode: 0o600 });
  try {
    await stacks.deployStack(name, file, options);
  } finally {
    rmSync(file, { force: true });
  }
}

async function deployStackFile(run: DeployRun, stacks: SwarmStacks, name: string, content: Record<string, unknown>, step: "preflight" | "start"): Promise<void> {
  const login = loginOf(run);
  const onLine = (line: string, stream: "stdout" | "stderr"): void => run.log(step, stream, line);
  await deployStackContent(stacks, privateDirsUnder(run.deps.paths.home, run.filesDir), name, content, { onLine, ...(login ? { login } : {}) });
}

export async function swarmPreflight(run: DeployRun): Promise<void> {
  const { stacks, router } = swarmParts(run);
  loginOf(run); // a registry_login whose password variable is unset fails here, before any build
  const node = await stacks.nodeId();
  if (node === "") throw new SlipwayError("E_SWARM_UNAVAILABLE", "the Docker engine is not a swarm manager: run slipway check for what to do");
  for (const route of run.plan.routes) {
    if (route.listen === undefined && route.hosts.length === 0) throw new SlipwayError("E_NOT_DEPLOYABLE", `route ${route.service}: a swarm environment routes by port or by host name: give the environment listen: or hosts:`);
  }
  // Under the lock: what a killed deployment left running (its stack, its release job) goes first.
  const stray = await removeStrayStacks(run.deps, { project: run.plan.project, environment: run.plan.environment, environmentId: run.environmentId });
  if (stray.length > 0) run.log("preflight", "info", `removed what an interrupted deployment left: ${stray.join(", ")}`);
  // The release's own directory (private): the build file and, for a moment, the stack file.
  privateDirsUnder(run.deps.paths.home, run.filesDir);
  const planned = planStack(run, node);
  const labels = { [LABEL.managed]: "true", [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment };
  for (const network of planned.networks) await stacks.ensureOverlay(network, network === planned.networks[0] ? labels : { [LABEL.managed]: "true" });
  await ensureAccessoryStack(run, stacks, planned);
  const mine = run.plan.routes.map((route) => ({
    backend: backendName(run.plan.project, run.plan.environment, route),
    listen: route.hosts.length > 0 ? 0 : (route.listen ?? 0),
    port: route.port,
    ...(route.hosts.length > 0 ? { hosts: route.hosts } : {}),
    ...(route.certificate ? { certificate: route.certificate } : {}),
    ...(route.hsts ? { hsts: true } : {}),
  }));
  const dir = run.deps.paths.router;
  const ensureRoutes = (): Promise<void> =>
    withRouterLock(dir, async () => {
      const table = withSwarmRoutes(readSwarmRoutes(dir), run.plan.project, run.plan.environment, mine);
      const singleHostWeb = Object.values(readRegistry(dir)).some((backend) => backend.hosts.length > 0);
      const conflicts = portConflicts(table, run.deps.router.web, singleHostWeb);
      if (conflicts.length > 0) throw new SlipwayError("E_NOT_DEPLOYABLE", conflicts.join("; "));
      await router.ensure(table);
      writeSwarmRoutes(dir, table);
    });
  await ensureRoutes();
  // Its hosts' certificate on the swarm router (an ACME challenge answered by it, the live release serving on).
  await ensureEnvironmentCertificate(run, { router: "swarm", installed: ensureRoutes });
}

/** Deployed once, never recreated by a deploy: only when one of its services is missing. */
async function ensureAccessoryStack(run: DeployRun, stacks: SwarmStacks, planned: SwarmStackPlan): Promise<void> {
  const { accessories } = planned;
  if (accessories.services.length === 0) return;
  const present = (await stacks.services({ [STACK_LABEL]: accessories.stack })).map((s) => s.name);
  const absent = accessories.services.filter((s) => !present.includes(`${accessories.stack}_${s}`));
  if (absent.length === 0) return;
  run.log("preflight", "info", `starting accessories as stack ${accessories.stack}: ${accessories.services.join(", ")} (pinned to this node: their volumes are node-local)`);
  await deployStackFile(run, stacks, accessories.stack, accessories.content, "preflight");
  await waitForTasks(run, stacks, accessories.services.map((s) => ({ fullName: `${accessories.stack}_${s}`, replicas: 1 })), ACCESSORY_DEADLINE_MS, "accessories");
}

export async function swarmStart(run: DeployRun): Promise<void> {
  const { stacks } = swarmParts(run);
  const planned = planStack(run);
  if (run.request.resume) {
    for (const service of planned.services) {
      const [found] = await stacks.services({ [STACK_LABEL]: planned.stack, [LABEL.service]: service.name });
      if (!found) throw new SlipwayError("E_START_FAILED", `the kept stack ${planned.stack} has no service ${service.name}`);
      await stacks.scale(found.id, service.replicas);
    }
    run.log("start", "info", `scaled the kept stack ${planned.stack} back: ${planned.services.map((s) => `${s.name} × ${s.replicas}`).join(", ")}`);
    return;
  }
  await ensurePushed(run);
  const pushed = planStack(run);
  await deployStackFile(run, stacks, pushed.stack, pushed.content, "start");
  run.log("start", "info", `stack ${planned.stack}: ${planned.services.map((s) => `${s.name} × ${s.replicas}`).join(", ")}`);
}

/** Deadline of the verify: the longest of the routes' readiness deadlines (a minute without routes). */
function verifyDeadline(run: DeployRun): number {
  return run.plan.routes.length > 0 ? Math.max(...run.plan.routes.map((r) => r.readiness.deadlineMs)) : 60_000;
}

export async function swarmVerify(run: DeployRun): Promise<void> {
  const { stacks } = swarmParts(run);
  const planned = planStack(run);
  await waitForTasks(run, stacks, planned.services, verifyDeadline(run), "verify");
}

interface Awaited {
  readonly fullName: string;
  readonly replicas: number;
}

/**
 * Until every service has as many running tasks as it asks for. Swarm reports a task running
 * only once its healthcheck passed, and replaces one that fails (a task that never gets
 * healthy is seen failing again and again): the deadline (see task-wait.ts: image pulls on the
 * nodes do not count against it) ends the wait with what the tasks said.
 */
async function waitForTasks(run: DeployRun, stacks: SwarmStacks, services: readonly Awaited[], deadlineMs: number, step: "accessories" | "verify"): Promise<void> {
  const startedAt = Date.now();
  const readying = readyingTracker();
  let lastReadyingAt: number | undefined;
  const said = new Set<string>();
  for (;;) {
    const pending: string[] = [];
    const stuck: string[] = [];
    for (const service of services) {
      const id = await serviceId(stacks, service.fullName);
      const tasks = id ? await stacks.tasks(id) : [];
      for (const task of tasks.filter((t) => t.error !== undefined && !said.has(t.id))) {
        said.add(task.id);
        run.log(step === "verify" ? "verify" : "preflight", "info", `${service.fullName}: task ${task.id.slice(0, 12)} ${task.state}: ${task.error}`);
      }
      lastReadyingAt = readying.see(tasks, Date.now());
      const running = tasks.filter((t) => t.desiredState === "running" && t.state === "running").length;
      if (running < service.replicas) {
        pending.push(`${service.fullName} ${running}/${service.replicas}`);
        stuck.push(...notRunning(tasks));
      }
    }
    if (pending.length === 0) return;
    if (run.signal?.aborted) return;
    if (Date.now() > taskWaitEnds(startedAt, deadlineMs, lastReadyingAt)) {
      const what = step === "verify" ? "the new release's tasks" : "the accessories' tasks";
      const tasksSaid = stuck.length > 0 ? `; ${stuck.join(", ")}` : "";
      throw new SlipwayError(
        step === "verify" ? "E_HEALTH_TIMEOUT" : "E_START_FAILED",
        `${what} were not all running and healthy within ${Math.round(deadlineMs / 1000)} s of their start: ${pending.join(", ")} running${tasksSaid} (their errors are in the deployment's log)`,
      );
    }
    await pause(POLL_MS);
  }
}

async function serviceId(stacks: SwarmStacks, fullName: string): Promise<string | undefined> {
  const stack = fullName.slice(0, fullName.lastIndexOf("_"));
  const all = await stacks.services({ [STACK_LABEL]: stack });
  return all.find((s) => s.name === fullName)?.id;
}

/** Removes a release's stack: its services, then its own networks once their tasks have left. */
export async function removeStack(stacks: SwarmStacks, stack: string): Promise<void> {
  const services = await stacks.services({ [STACK_LABEL]: stack });
  await stacks.removeServices(services.map((s) => s.id));
  await stacks.removeNetworks({ [STACK_LABEL]: stack }, 60_000);
}

/**
 * Whether every container with these labels is gone from this node within the deadline: a
 * removed service's task containers go a moment after it, and hold their volumes until then.
 */
export async function containersGone(engine: Engine, clock: Clock, labels: Readonly<Record<string, string>>, deadlineMs: number): Promise<boolean> {
  const deadline = clock.now() + deadlineMs;
  while ((await engine.containers(labels)).length > 0) {
    if (clock.now() > deadline) return false;
    await clock.sleep(250);
  }
  return true;
}

/** After a failure before the switch: nothing of the new release is left (a kept one is scaled down again). */
export async function swarmTakeDown(run: DeployRun): Promise<void> {
  const { stacks } = swarmParts(run);
  const stack = `${run.plan.project}-${run.plan.environment}-${run.release.runsAs}`;
  if (run.request.resume) {
    for (const service of await stacks.services({ [STACK_LABEL]: stack })) await stacks.scale(service.id, 0);
    return;
  }
  await removeStack(stacks, stack);
}
