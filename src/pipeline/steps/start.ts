/** start: the new release as its own compose project, beside the live one. */
import { ADDRESS_POOL_ADVICE, addressPoolsExhausted } from "../../adapters/address-pools.js";
import { SlipwayError } from "../../core/errors.js";
import type { ContainerState } from "../../adapters/docker-engine.js";
import { planKeep } from "../../plan/keep-previous.js";
import { LABEL } from "../../plan/naming.js";
import { restartPolicyOf, type RestartPolicy } from "../../plan/restart-policy.js";
import { abortable, releaseProject, type DeployRun } from "../deploy-run.js";

/** App services to start now: stop-first ones wait for the switch when a release is live. */
export function servicesToStart(run: DeployRun): string[] {
  const all = run.request.resolved.classification.services.filter((s) => s.role === "app").map((s) => s.name);
  return run.previous ? all.filter((s) => !run.plan.stopFirst.includes(s)) : all;
}

export async function start(run: DeployRun): Promise<void> {
  const services = servicesToStart(run);
  if (services.length === 0) return;
  // Fast path: the kept release's containers exist (stopped, paused or running): starting or
  // thawing them skips creating them. (Another deployment may have removed them since the
  // rollback chose them: then create them.)
  const kept = run.request.resume ? (await releaseContainers(run)).filter((c) => services.includes(c.labels[LABEL.service] ?? "")) : [];
  if (kept.length > 0) {
    // What serves requests comes back now; a stopped worker or scheduler starts after the
    // switch (the rollback is live once traffic is back), so nothing waits for its start.
    const { serving } = planKeep(run.request.resolved.classification, run.request.resolved.model, run.request.resolved.project.config);
    const later = kept.filter((c) => c.status !== "running" && c.status !== "paused" && !serving.includes(c.labels[LABEL.service] ?? ""));
    const paused = kept.filter((c) => c.status === "paused");
    const waiting = kept.filter((c) => c.status !== "running" && c.status !== "paused" && !later.includes(c));
    const { engine, clock } = run.deps;
    await restorePolicies(run, kept);
    await Promise.all([engine.unpauseContainers(paused.map((c) => c.id)), engine.startContainers(waiting.map((c) => c.id))]);
    run.containers = await releaseContainers(run);
    run.afterSwitch = later.map((c) => c.id);
    // Containers kept running or paused have been up since an earlier deployment: the stability
    // wait is for processes that have just started.
    run.startedAt = waiting.length > 0 ? clock.now() : 0;
    const now = run.containers.filter((c) => !run.afterSwitch?.includes(c.id));
    const after = later.length > 0 ? `; to start after the switch: ${names(later)}` : "";
    run.log("start", "info", `${resumed(run.release.runsAs, paused.length, waiting.length)}: ${now.map((c) => c.name).join(", ")}${after}`);
    return;
  }
  const result = await run.deps.compose.exec(releaseProject(run), ["up", "-d", "--no-build", "--pull", "never", ...services], {
    onLine: (line, stream) => run.log("start", stream, line),
    ...abortable(run),
  });
  if (result.exitCode !== 0) {
    const advice = addressPoolsExhausted(result.stderr) ? `. ${ADDRESS_POOL_ADVICE}` : "";
    throw new SlipwayError("E_START_FAILED", `the new release did not start: ${result.stderr.trim().split("\n").slice(-2).join(" / ")}${advice}`);
  }
  run.containers = await releaseContainers(run);
  run.startedAt = run.deps.clock.now();
  run.log("start", "info", `started ${run.containers.map((c) => c.name).join(", ")}`);
}

/** The kept containers a rollback left stopped until the switch (workers, schedulers): started now. */
export async function startAfterSwitch(run: DeployRun): Promise<void> {
  const ids = run.afterSwitch ?? [];
  if (ids.length === 0) return;
  const containers = run.containers.filter((c) => ids.includes(c.id));
  try {
    await run.deps.engine.startContainers(ids);
    run.log("retire", "info", `started ${names(containers)} of ${run.release.runsAs} again, after the switch`);
  } catch (error) {
    run.log("retire", "info", `warning: could not start ${names(containers)} of ${run.release.runsAs} (${(error as Error).message}); start them with slipway deploy or docker start`);
  }
}

/** "backend, frontend": the services of the containers, for a log line. */
export const names = (containers: readonly ContainerState[]): string => [...new Set(containers.map((c) => c.labels[LABEL.service] ?? c.name))].sort().join(", ");

/** A kept release had its restart policy set to "no" (see retire): live again, it gets the planned one back. */
async function restorePolicies(run: DeployRun, containers: readonly ContainerState[]): Promise<void> {
  const services = (run.plan.files.release.content.services ?? {}) as Record<string, Record<string, unknown>>;
  const byPolicy = new Map<string, { policy: RestartPolicy; ids: string[] }>();
  for (const container of containers) {
    const policy = restartPolicyOf(services[container.labels[LABEL.service] ?? ""] ?? {});
    const key = JSON.stringify(policy);
    byPolicy.set(key, { policy, ids: [...(byPolicy.get(key)?.ids ?? []), container.id] });
  }
  await Promise.all([...byPolicy.values()].map(({ policy, ids }) => run.deps.engine.setRestartPolicy(ids, policy)));
}

function resumed(release: string, paused: number, stopped: number): string {
  if (paused > 0 && stopped > 0) return `unpaused and started the kept containers of ${release}`;
  if (paused > 0) return `unpaused the kept containers of ${release}`;
  if (stopped > 0) return `started the kept containers of ${release} again`;
  return `the kept containers of ${release} were running (keep_previous: running)`;
}

export async function releaseContainers(run: DeployRun, release = run.release.runsAs): Promise<Awaited<ReturnType<DeployRun["deps"]["engine"]["containers"]>>> {
  const all = await run.deps.engine.containers({ [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment, [LABEL.release]: release });
  // A one-off (`slipway run`) carries its release's labels, but is a person's, not the release's.
  return all.filter((c) => c.labels[LABEL.role] === "app" && c.labels[LABEL.oneOff] === undefined);
}
