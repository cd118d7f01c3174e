/**
 * release: the release task (migrations, collectstatic), once per deployment, as a one-off
 * `docker compose run --rm` in the new release's project: its variables, volumes, accessories.
 */
import { SlipwayError } from "../../core/errors.js";
import { abortable, releaseProject, type DeployRun } from "../deploy-run.js";

export const DEFAULT_RELEASE_TIMEOUT_MS = 600_000;

export async function releaseTask(run: DeployRun): Promise<"ran" | "skipped"> {
  const task = run.plan.releaseTask;
  if (!task) return "skipped";
  const config = run.request.resolved.project.config.release;
  const timeoutMs = (config ? config.timeout : undefined) ?? DEFAULT_RELEASE_TIMEOUT_MS;
  run.log("release", "info", `running ${task} (timeout ${Math.round(timeoutMs / 1000)} s)`);
  const result = await run.deps.compose.exec(releaseProject(run), ["run", "--rm", "-T", "--no-deps", task], {
    timeoutMs,
    onLine: (line, stream) => run.log("release", stream, line),
    ...abortable(run),
  });
  if (result.exitCode === 137 && timeoutMs) {
    throw new SlipwayError("E_RELEASE_FAILED", `the release task ${task} was stopped after ${Math.round(timeoutMs / 1000)} s (release.timeout in slipway.yml)`);
  }
  if (result.exitCode !== 0) {
    throw new SlipwayError("E_RELEASE_FAILED", `the release task ${task} exited with ${result.exitCode}; its output is in deployment ${run.deploymentId}'s log`, { hint: { action: "read-deployment-log", deploymentId: run.deploymentId } });
  }
  return "ran";
}
