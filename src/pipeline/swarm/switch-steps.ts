/**
 * The steps of a swarm deployment around the switch: the release task as a swarm job (one
 * task, never restarted, waited for, its output and exit code recorded), the router's switch
 * (runtime API only), and the retire (the previous stack kept at zero tasks for a rollback,
 * older ones removed).
 */
import { SlipwayError } from "../../core/errors.js";
import { LABEL } from "../../plan/naming.js";
import { serviceVariables } from "../../plan/runtime-variables.js";
import type { DeployRun } from "../deploy-run.js";
import { backendName } from "../route-registry.js";
import { DEFAULT_RELEASE_TIMEOUT_MS } from "../steps/release.js";
import { loginOf } from "../steps/push.js";
import { ensurePushed, planStack, removeStack, swarmParts } from "./stack-steps.js";
import { JOB_ENDED } from "./task-wait.js";

const POLL_MS = 300;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function swarmReleaseTask(run: DeployRun): Promise<"ran" | "skipped"> {
  const { stacks } = swarmParts(run);
  const task = run.plan.releaseTask;
  if (!task) return "skipped";
  await ensurePushed(run);
  const planned = planStack(run);
  if (!planned.job) return "skipped";
  const config = run.request.resolved.project.config.release;
  const timeoutMs = (config ? config.timeout : undefined) ?? DEFAULT_RELEASE_TIMEOUT_MS;
  const variables = serviceVariables(run.request.resolved.model.services[task]?.environment);
  run.log("release", "info", `running ${task} as the swarm job ${planned.job.name} (timeout ${Math.round(timeoutMs / 1000)} s)`);
  const login = loginOf(run);
  const id = await stacks.createJob({ ...planned.job, env: Object.entries(variables).map(([k, v]) => `${k}=${v}`), ...(login ? { login } : {}) });
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const [state] = (await stacks.tasks(id)).filter((t) => JOB_ENDED.has(t.state));
      if (state) {
        for (const line of await stacks.logs(id)) run.log("release", "stdout", line);
        if (state.state === "complete") return "ran";
        const why = state.exitCode !== undefined ? `exited with ${state.exitCode}` : `ended ${state.state}${state.error ? ` (${state.error})` : ""}`;
        throw new SlipwayError("E_RELEASE_FAILED", `the release task ${task} ${why}; its output is in deployment ${run.deploymentId}'s log`, { hint: { action: "read-deployment-log", deploymentId: run.deploymentId } });
      }
      if (run.signal?.aborted) return "ran";
      if (Date.now() > until) throw new SlipwayError("E_RELEASE_FAILED", `the release task ${task} was stopped after ${Math.round(timeoutMs / 1000)} s (release.timeout in slipway.yml)`);
      await pause(POLL_MS);
    }
  } finally {
    // A job is not a part of the release: nothing of it stays, whatever happened.
    await stacks.removeServices([id]).catch((error: unknown) => run.log("release", "info", `warning: could not remove the job ${planned.job?.name} (${(error as Error).message}); remove it with docker service rm`));
  }
}

/** Every route's traffic moves to the new stack's tasks, by the router's runtime API. */
export async function swarmSwitch(run: DeployRun): Promise<void> {
  const { router } = swarmParts(run);
  const planned = planStack(run);
  for (const route of run.plan.routes) {
    const service = planned.services.find((s) => s.name === route.service);
    if (!service) throw new SlipwayError("E_SWITCH_FAILED", `route ${route.service}: the stack ${planned.stack} has no such service`);
    const backend = backendName(run.plan.project, run.plan.environment, route);
    await router.switchTo(backend, { service: service.fullName, port: route.port, expected: service.replicas });
    run.log("switch", "info", `${backend}: ${service.fullName} (${service.replicas} task${service.replicas === 1 ? "" : "s"}) serving`);
  }
}

/** Releases' stacks of the environment, by release name. */
async function environmentStacks(run: DeployRun): Promise<Map<string, string[]>> {
  const { stacks } = swarmParts(run);
  const byRelease = new Map<string, string[]>();
  for (const service of await stacks.services({ [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment })) {
    const release = service.labels[LABEL.release];
    if (!release || release === "accessories") continue;
    byRelease.set(release, [...(byRelease.get(release) ?? []), service.id]);
  }
  return byRelease;
}

/** The previous release's stack scaled to zero tasks (kept for a rollback); any older one removed. */
export async function swarmRetire(run: DeployRun): Promise<void> {
  const { stacks } = swarmParts(run);
  const current = run.release.runsAs;
  const kept = run.previous?.runsAs;
  for (const [release, ids] of await environmentStacks(run)) {
    if (release === current) continue;
    const stack = `${run.plan.project}-${run.plan.environment}-${release}`;
    if (release === kept) {
      for (const id of ids) await stacks.scale(id, 0);
      run.log("retire", "info", `kept ${stack} at 0 tasks, for a rollback`);
    } else {
      await removeStack(stacks, stack);
      run.log("retire", "info", `removed ${stack}`);
    }
  }
}
