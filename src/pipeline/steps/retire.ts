/**
 * retire: after the drain period the old servers leave the router once they hold no request;
 * the previous release is stopped and kept (for a rollback), older ones removed with `down`
 * (named volumes belong to the environment and stay).
 */
import { existsSync } from "node:fs";
import { LABEL } from "../../plan/naming.js";
import { releaseProject, type DeployRun } from "../deploy-run.js";
import type { Retiring } from "./switch.js";

export const DEFAULT_DRAIN_MS = 5000;
const REMOVE_TIMEOUT_MS = 60_000;

export async function retire(run: DeployRun, retiring: Retiring): Promise<void> {
  const { router, clock, compose, engine } = run.deps;
  const drainMs = run.request.resolved.project.config.drain ?? DEFAULT_DRAIN_MS;
  if (retiring.length > 0) {
    run.log("retire", "info", `draining for ${drainMs / 1000} s`);
    await clock.sleep(drainMs);
  }
  for (const { backend, server } of retiring) {
    await router.removeServer(backend, server, { timeoutMs: REMOVE_TIMEOUT_MS });
    run.log("retire", "info", `${backend}: removed ${server}`);
  }
  const onLine = (line: string, stream: "stdout" | "stderr"): void => run.log("retire", stream, line);
  const labels = { [LABEL.project]: run.plan.project, [LABEL.environment]: run.plan.environment };
  const releases = new Set((await engine.containers(labels)).map((c) => c.labels[LABEL.release] ?? ""));
  for (const name of releases) {
    if (name === "" || name === "accessories" || name === run.release.name) continue;
    const project = releaseProject(run, name);
    const kept = name === run.previous?.name;
    const args = kept ? ["stop"] : ["down", "--remove-orphans"];
    // A release whose files are gone is still a compose project by its labels.
    const target = existsSync(project.files[0] ?? "") ? project : { ...project, files: [] };
    await compose.exec(target, args, { onLine });
    if (!kept) await engine.removeNetworks({ "com.docker.compose.project": project.projectName });
    run.log("retire", "info", `${kept ? "stopped (kept for rollback)" : "removed"} ${name}`);
  }
}
