/**
 * retire: the old servers leave the router as soon as they hold no request (within the drain
 * period; after it, removal still waits for their last requests);
 * the previous release is kept (for a rollback: paused, stopped or running, see keep-previous.ts),
 * older ones removed with `down`
 * (named volumes belong to the environment and stay).
 */
import { existsSync } from "node:fs";
import type { ContainerState } from "../../adapters/docker-engine.js";
import { planKeep, type KeepPlan, type KeptAs } from "../../plan/keep-previous.js";
import { LABEL } from "../../plan/naming.js";
import { composeDown } from "../compose-down.js";
import { releaseProject, type DeployRun } from "../deploy-run.js";
import { names } from "./start.js";
import type { Retiring } from "./switch.js";

export const DEFAULT_DRAIN_MS = 5000;
const REMOVE_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_S = 10;

const POLL_MS = 50;
/** A request HAProxy has just handed to a server shows in its sessions: one poll's grace is enough. */
const MINIMUM_DRAIN_MS = 100;

/**
 * Waits until every draining server holds no session (HAProxy counts each request in flight, and
 * each open connection of a long-lived protocol), at most `drainMs`. Returns how long it waited.
 */
export async function drainUntilIdle(run: DeployRun, retiring: Retiring, drainMs: number): Promise<{ waitedMs: number; busy: number }> {
  const { router, clock } = run.deps;
  const began = clock.now();
  const backends = [...new Set(retiring.map((r) => r.backend))];
  await clock.sleep(Math.min(MINIMUM_DRAIN_MS, drainMs));
  for (;;) {
    const lists = await Promise.all(backends.map((backend) => router.servers(backend).then((servers) => servers.map((s) => ({ backend, ...s })))));
    const busy = lists.flat().filter((s) => s.sessions > 0 && retiring.some((r) => r.backend === s.backend && r.server === s.name)).length;
    const waitedMs = clock.now() - began;
    if (busy === 0 || waitedMs >= drainMs) return { waitedMs, busy };
    await clock.sleep(Math.min(POLL_MS, drainMs - waitedMs));
  }
}

interface Kept {
  readonly paused: readonly ContainerState[];
  readonly stopped: readonly ContainerState[];
  readonly running: readonly ContainerState[];
}

/**
 * Kept for a rollback, as `keep_previous` says of each service: frozen or stopped all at once,
 * as compose would go one after another. The freezer can fail on a busy container (runc:
 * "unable to freeze"): then it is stopped, kept all the same. Its restart policy becomes "no"
 * first: a restart of dockerd would otherwise start a frozen release (or, under `restart:
 * always`, a stopped one) again, out of the router, its workers beside the live ones. A
 * rollback to it sets the planned policy back.
 */
async function keepForRollback(run: DeployRun, containers: readonly ContainerState[], keep: KeepPlan["keep"]): Promise<Kept> {
  const { engine } = run.deps;
  const keptAs = (c: ContainerState): KeptAs => keep[c.labels[LABEL.service] ?? ""] ?? "stopped";
  const running = containers.filter((c) => c.status === "running");
  const left = running.filter((c) => keptAs(c) === "running");
  if (containers.every((c) => keptAs(c) === "running")) return { paused: [], stopped: [], running: left };
  await engine.setRestartPolicy(containers.filter((c) => keptAs(c) !== "running").map((c) => c.id), { name: "no" });
  const toPause = running.filter((c) => keptAs(c) === "paused");
  const toStop = running.filter((c) => keptAs(c) === "stopped");
  const stopping = engine.stopContainers(toStop.map((c) => c.id), STOP_TIMEOUT_S);
  try {
    await engine.pauseContainers(toPause.map((c) => c.id));
  } catch (error) {
    run.log("retire", "info", `could not pause ${names(toPause)} (${(error as Error).message.trim()}): stopping them instead`);
    await Promise.all([stopping, engine.stopContainers(toPause.map((c) => c.id), STOP_TIMEOUT_S)]);
    return { paused: [], stopped: [...toStop, ...toPause], running: left };
  }
  await stopping;
  return { paused: toPause, stopped: toStop, running: left };
}

function describeKept(name: string, ms: number, kept: Kept): string {
  const done: Array<[string, readonly ContainerState[]]> = [["paused", kept.paused], ["stopped", kept.stopped], ["left running", kept.running]];
  const said = done.filter(([, list]) => list.length > 0).map(([verb, list]) => `${verb} ${names(list)}`);
  return `kept ${name} for rollback in ${ms} ms: ${said.join("; ") || "nothing was running"}`;
}

/** The old servers leave the router once they hold no request (or the drain period is over). */
async function drainAndRemove(run: DeployRun, retiring: Retiring): Promise<void> {
  const { router } = run.deps;
  const drainMs = run.request.resolved.project.config.drain ?? DEFAULT_DRAIN_MS;
  if (retiring.length > 0) {
    const { waitedMs, busy } = await drainUntilIdle(run, retiring, drainMs);
    run.log("retire", "info", busy === 0 ? `drained in ${waitedMs} ms` : `${busy} old server(s) still busy after the drain period (${drainMs / 1000} s): waiting for their last requests`);
  }
  for (const { backend, server } of retiring) {
    try {
      await router.removeServer(backend, server, { timeoutMs: REMOVE_TIMEOUT_MS });
      run.log("retire", "info", `${backend}: removed ${server}`);
    } catch (error) {
      run.log("retire", "info", `warning: could not remove ${server} from ${backend} (${(error as Error).message}); it stays drained: no new request reaches it`);
    }
  }
}

/** Releases older than the kept one: removed with `down` (their named volumes belong to the environment and stay). */
function removeOlder(run: DeployRun, containers: readonly ContainerState[]): Array<Promise<void>> {
  const { compose, engine } = run.deps;
  const onLine = (line: string, stream: "stdout" | "stderr"): void => run.log("retire", stream, line);
  const releases = new Set(containers.map((c) => c.labels[LABEL.release] ?? ""));
  const older = [...releases].filter((name) => name !== "" && name !== "accessories" && name !== run.release.runsAs && name !== run.previous?.runsAs);
  return older.map(async (name) => {
    const project = releaseProject(run, name);
    // A release whose files are gone is still a compose project by its labels.
    const target = existsSync(project.files[0] ?? "") ? project : { ...project, files: [] };
    try {
      await composeDown(compose, target, { onLine });
      await engine.removeNetworks({ "com.docker.compose.project": project.projectName });
      run.log("retire", "info", `removed ${name}`);
    } catch (error) {
      run.log("retire", "info", `warning: could not remove ${name} (${(error as Error).message}); retention removes it later`);
    }
  });
}

/**
 * Older releases take no traffic: they go at once, beside the drain. The kept release is frozen
 * or stopped (as keep_previous says of each service) once the router sends it nothing. The new
 * release is live by now: what fails here is reported, never undone.
 */
export async function retire(run: DeployRun, retiring: Retiring): Promise<void> {
  const { engine, clock } = run.deps;
  const containers = await engine.containers({ [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment });
  const { keep } = planKeep(run.request.resolved.classification, run.request.resolved.model, run.request.resolved.project.config);
  const previous = run.previous?.runsAs;
  // A one-off a person runs (a shell, a data fix) is theirs to end, not the deploy's.
  const kept = previous === undefined ? [] : containers.filter((c) => c.labels[LABEL.release] === previous && c.labels[LABEL.oneOff] === undefined);
  const keeping = (list: readonly ContainerState[]): Promise<Kept> =>
    list.length === 0
      ? Promise.resolve({ paused: [], stopped: [], running: [] })
      : keepForRollback(run, list, keep).catch((error: unknown) => {
          run.log("retire", "info", `warning: could not stop ${names(list)} of ${previous} (${(error as Error).message}); still running, out of the router`);
          return { paused: [], stopped: [], running: [] };
        });
  const removals = removeOlder(run, containers);
  await drainAndRemove(run, retiring);
  // All of it after the drain: a proxy may reach an api it does not name in depends_on.
  const began = clock.now();
  const done = await keeping(kept);
  if (previous !== undefined && kept.length > 0) run.log("retire", "info", describeKept(previous, clock.now() - began, done));
  await Promise.all(removals);
}
