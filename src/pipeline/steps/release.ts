/**
 * release: the release task (migrations, collectstatic), once per deployment, as a one-off
 * `docker compose run --rm` in the new release's project: its variables, volumes, accessories.
 * When it fails or runs out of time, nothing of it is left: killing the compose client does not
 * stop the container it started, so the container is killed and removed through the engine.
 */
import type { ComposeProject } from "../../adapters/compose-cli.js";
import { SlipwayError } from "../../core/errors.js";
import { abortable, releaseProject, type DeployRun } from "../deploy-run.js";

export const DEFAULT_RELEASE_TIMEOUT_MS = 600_000;

/** compose's own labels on a one-off container of a project's service. */
export function oneOffLabels(project: ComposeProject, service: string): Record<string, string> {
  return { "com.docker.compose.project": project.projectName, "com.docker.compose.service": service, "com.docker.compose.oneoff": "True" };
}

/**
 * Kills and removes the task's container, then the release's networks `run` created, unless
 * containers of the release still use them (a rollback's task runs in the kept release's project).
 */
async function cleanUp(run: DeployRun, project: ComposeProject, task: string): Promise<void> {
  const { engine } = run.deps;
  const left = await engine.containers(oneOffLabels(project, task));
  await engine.removeContainers(left.map((c) => c.id));
  if (left.length > 0) run.log("release", "info", `removed ${left.map((c) => c.name).join(", ")}`);
  const labels = { "com.docker.compose.project": project.projectName };
  if ((await engine.containers(labels)).length === 0) await engine.removeNetworks(labels);
}

export async function releaseTask(run: DeployRun): Promise<"ran" | "skipped"> {
  const task = run.plan.releaseTask;
  if (!task) return "skipped";
  const config = run.request.resolved.project.config.release;
  const timeoutMs = (config ? config.timeout : undefined) ?? DEFAULT_RELEASE_TIMEOUT_MS;
  run.log("release", "info", `running ${task} (timeout ${Math.round(timeoutMs / 1000)} s)`);
  const project = releaseProject(run);
  const removeLeftovers = async (): Promise<void> => {
    try {
      await cleanUp(run, project, task);
    } catch (error) {
      run.log("release", "info", `warning: could not remove what the release task left (${(error as Error).message}); remove it with docker rm -f, or slipway down`);
    }
  };
  let result;
  try {
    result = await run.deps.compose.exec(project, ["run", "--rm", "-T", "--no-deps", task], {
      timeoutMs,
      onLine: (line, stream) => run.log("release", stream, line),
      ...abortable(run),
    });
  } catch (error) {
    // Cancelled: the compose client is gone, its container is not.
    await removeLeftovers();
    throw error;
  }
  if (result.exitCode === 0 && !result.timedOut) return "ran";
  await removeLeftovers();
  if (result.timedOut) {
    throw new SlipwayError("E_RELEASE_FAILED", `the release task ${task} was stopped after ${Math.round(timeoutMs / 1000)} s (release.timeout in slipway.yml)`);
  }
  throw new SlipwayError("E_RELEASE_FAILED", `the release task ${task} exited with ${result.exitCode}; its output is in deployment ${run.deploymentId}'s log`, { hint: { action: "read-deployment-log", deploymentId: run.deploymentId } });
}
