/**
 * verify: every routed container of the new release passes its probe N times in a row within
 * the deadline; no app container exits or restarts meanwhile. On failure, the failing
 * container's last log lines go into the deployment's log.
 */
import type { ContainerState } from "../../adapters/docker-engine.js";
import { SlipwayError } from "../../core/errors.js";
import { LABEL } from "../../plan/naming.js";
import type { DeployRun } from "../deploy-run.js";
import { NotReadyError, probeFor, waitReady } from "../readiness.js";
import { releaseContainers } from "./start.js";

const LOG_LINES = 30;
/** Every new container must stay up this long after the start, routed or not. */
export const STABLE_MS = 1000;

function crashed(state: ContainerState | undefined): string | undefined {
  if (!state) return "the container disappeared";
  if (state.status === "exited" || state.status === "dead") return `the container exited with code ${state.exitCode}`;
  if (state.status === "restarting" || state.restartCount > 0) return `the container is restarting (crash loop, ${state.restartCount} restarts)`;
  return undefined;
}

async function attachLogs(run: DeployRun, container: ContainerState): Promise<void> {
  const lines = await run.deps.engine.logsTail(container.id, LOG_LINES).catch(() => []);
  run.log("verify", "info", `last ${lines.length} log lines of ${container.name}:`);
  for (const line of lines) run.log("verify", "stderr", `  ${line}`);
}

export async function verify(run: DeployRun): Promise<void> {
  const current = async (id: string): Promise<ContainerState | undefined> => (await releaseContainers(run)).find((c) => c.id === id);
  for (const route of run.plan.routes) {
    const containers = run.containers.filter((c) => c.labels[LABEL.service] === route.service);
    if (containers.length === 0) throw new SlipwayError("E_START_FAILED", `no container of the routed service ${route.service} is running`);
    for (const container of containers) {
      const port = container.ports.find((p) => p.containerPort === route.port && p.hostIp === "127.0.0.1")?.hostPort;
      const probe = probeFor(route.readiness, port, (timeoutMs) => run.deps.engine.runHealthcheck(container.id, timeoutMs));
      try {
        const ms = await waitReady({ probe, policy: route.readiness, clock: run.deps.clock, fatal: async () => (run.signal?.aborted ? "the deployment was cancelled" : crashed(await current(container.id))) });
        run.log("verify", "info", `${container.name} ready in ${(ms / 1000).toFixed(1)} s (${route.readiness.passes} passes)`);
      } catch (error) {
        if (!(error instanceof NotReadyError)) throw error;
        await attachLogs(run, container);
        throw new SlipwayError("E_HEALTH_TIMEOUT", `${route.service} (${container.name}) is not ready: ${error.message}`, { cause: error });
      }
    }
  }
  // Services that are not routed must at least stay up (the probes above already took a while).
  const { clock } = run.deps;
  const up = clock.now() - (run.startedAt ?? clock.now());
  if (up < STABLE_MS) await clock.sleep(STABLE_MS - up);
  for (const container of (await releaseContainers(run)).filter((c) => !run.afterSwitch?.includes(c.id))) {
    const problem = crashed(container);
    if (problem) {
      await attachLogs(run, container);
      throw new SlipwayError("E_START_FAILED", `${container.labels[LABEL.service] ?? container.name}: ${problem}`);
    }
  }
}
