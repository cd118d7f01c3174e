/**
 * preflight: compose and the engine answer; the environment's network and volumes exist; its
 * accessories run (started once as their own project, never recreated) and answer; the router
 * runs and serves every live route on this host.
 */
import { rmSync, writeFileSync } from "node:fs";
import { composeEnvFile } from "../../secrets/env-file.js";
import { toYaml } from "../../core/yaml-text.js";
import { SlipwayError } from "../../core/errors.js";
import { privateDirsUnder } from "../../core/private-files.js";
import { LABEL } from "../../plan/naming.js";
import { portNeeds, publishPorts } from "../../plan/ports.js";
import { problemsError } from "../../project/problem.js";
import { abortable, accessoriesProject, type DeployRun } from "../deploy-run.js";
import { allocatePorts } from "../port-allocation.js";
import { removeStrayReleases } from "../reconcile.js";
import { restoreRouter } from "../router-sync.js";
import { ensureAccessoryImages } from "./accessory-images.js";
import { ensureEnvironmentCertificate, needsChallenges } from "./certificate.js";
import { readSwarmRoutes } from "../swarm/route-table.js";

const ACCESSORY_DEADLINE_MS = 120_000;

/**
 * The planned files, and beside them each service's env file (mode 0600, in a 0700 directory):
 * the only place on disk its variables are, from here until the new release has started.
 */
export function writePlannedFiles(run: DeployRun): void {
  const dir = privateDirsUnder(run.deps.paths.home, run.deps.paths.release(run.plan.project, run.plan.environment, run.release.runsAs));
  for (const kind of ["release", "accessories", "build"] as const) {
    const text = toYaml(run.plan.files[kind].content);
    writeFileSync(`${dir}/${kind}.yml`, text, { mode: 0o600 });
    warnOfSecretsIn(run, `${kind}.yml`, text);
  }
  for (const file of run.plan.envFiles) writeFileSync(file.path, composeEnvFile(file.values), { mode: 0o600 });
}

/** A secret interpolated outside `environment:` (a command, a label) cannot be kept off disk: say so. */
function warnOfSecretsIn(run: DeployRun, file: string, text: string): void {
  if (run.deps.redact(text) !== text) {
    run.log("preflight", "info", `warning: ${file} holds a secret value outside environment: (in a command, label or healthcheck?); pass it as a variable of the service instead`);
  }
}

/** Compose has read them; nothing on disk keeps a value after this. */
export function removeEnvFiles(run: DeployRun): void {
  for (const file of run.plan.envFiles) rmSync(file.path, { force: true });
}

async function ensureAccessories(run: DeployRun): Promise<void> {
  const { engine, compose, clock } = run.deps;
  const services = Object.keys((run.plan.files.accessories.content.services as object | undefined) ?? {});
  if (services.length === 0) return;
  const project = accessoriesProject(run);
  const labels = { [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment, [LABEL.release]: "accessories" };
  const running = (await engine.containers(labels)).filter((c) => c.status === "running").map((c) => c.labels[LABEL.service]);
  const absent = services.filter((s) => !running.includes(s));
  if (absent.length > 0) {
    await ensureAccessoryImages(run, absent);
    run.log("preflight", "info", `starting accessories: ${services.join(", ")}`);
    const result = await compose.exec(project, ["up", "-d", "--no-recreate", "--no-build"], { onLine: (line, stream) => run.log("preflight", stream, line), ...abortable(run) });
    if (result.exitCode !== 0) throw new SlipwayError("E_START_FAILED", `the accessories did not start: ${result.stderr.trim().split("\n").pop() ?? ""}`);
  }
  // Answering: the accessory's own healthcheck when it has one, else running.
  const deadline = clock.now() + ACCESSORY_DEADLINE_MS;
  for (;;) {
    const states = await engine.containers(labels);
    const waiting = states.filter((c) => c.status !== "running" || (c.health !== undefined && c.health !== "healthy"));
    if (waiting.length === 0 && states.length >= services.length) return;
    if (clock.now() > deadline) {
      const names = waiting.map((c) => `${c.labels[LABEL.service] ?? c.name} (${c.health ?? c.status})`).join(", ");
      throw new SlipwayError("E_START_FAILED", `accessories not answering after ${ACCESSORY_DEADLINE_MS / 1000} s: ${names}; see docker logs of those containers`);
    }
    await clock.sleep(500);
  }
}

export async function preflight(run: DeployRun): Promise<void> {
  const { compose, engine } = run.deps;
  // What `check` refuses (a build context outside the repository, …), a deploy refuses too,
  // whoever started it. A rollback builds nothing and runs what was checked when it was built.
  const { errors } = run.request.resolved.lint;
  if (!run.request.build && errors.length > 0) throw problemsError(errors.map((message) => ({ code: "E_NOT_DEPLOYABLE", message })));
  // Compose's version comes from a process of its own: asked now, awaited at the end.
  const composeVersion = compose.version();
  composeVersion.catch(() => undefined);
  const engineVersion = await engine.ping();
  const needs = portNeeds(run.plan);
  const ports = await allocatePorts(run);
  run.plan = publishPorts(run.plan, ports);
  writePlannedFiles(run);
  for (const route of run.plan.routes) {
    if (!route.listen && route.hosts.length === 0) {
      throw new SlipwayError("E_CONFIG_INVALID", `route ${route.service}:${route.port} has no port for the router to listen on: publish it in compose ("8080:${route.port}") or set routes[].listen (or hosts) in slipway.yml`);
    }
  }
  const swarmWeb = readSwarmRoutes(run.deps.paths.router).filter((route) => (route.hosts ?? []).length > 0);
  if (swarmWeb.length > 0 && run.plan.routes.some((route) => route.hosts.length > 0)) {
    const web = run.deps.router.web;
    throw new SlipwayError("E_NOT_DEPLOYABLE", `the swarm router serves host names on ports ${web.http} and ${web.https} of this host (for ${[...new Set(swarmWeb.map((r) => `${r.project}/${r.environment}`))].join(", ")}), which the single-host router would need for ${run.plan.project}/${run.plan.environment}: serve one driver's host names per host, or route this environment by port (listen:)`);
  }
  const labels = { [LABEL.managed]: "true", [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment };
  const environment = async (): Promise<void> => {
    // Under the lock no other deployment of this environment runs: a release neither live nor
    // kept is a dead one's (its release task may still run), and goes before this one starts.
    const stray = await removeStrayReleases(run.deps, { project: run.plan.project, environment: run.plan.environment, environmentId: run.environmentId, dir: run.request.resolved.project.dir });
    if (stray.length > 0) run.log("preflight", "info", `removed what no release runs as: ${stray.join(", ")}`);
    await engine.ensureNetwork(run.plan.network, labels);
    await Promise.all(run.plan.volumes.map((volume) => engine.ensureVolume(volume, labels)));
    await ensureAccessories(run);
  };
  // The router and the environment's own objects do not depend on each other.
  // A route that serves keeps its port and hosts until the switch: a release that fails
  // before it leaves the live one where its users reach it.
  const [, restored] = await Promise.all([environment(), restoreRouter(run.deps, run.plan, { keepServing: true, serveWeb: needsChallenges(run) })]);
  await ensureEnvironmentCertificate(run);
  run.log("preflight", "info", `compose ${await composeVersion}, engine ${engineVersion}`);
  const shown = needs.map(({ key, count }) => `${key} on 127.0.0.1:${ports[key] ?? "?"}${count > 1 ? `-${(ports[key] ?? 0) + count - 1}` : ""}`);
  if (shown.length > 0) run.log("preflight", "info", `host ports: ${shown.join(", ")}`);
  if (restored.length > 0) run.log("preflight", "info", `router: ${restored.join("; ")}`);
}
