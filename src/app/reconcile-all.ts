/**
 * What a server does as it starts (and now and then after): every environment where a process
 * that died left a deployment queued or running is reconciled, as the next CLI command there
 * would: the deployment marked interrupted (its event stream ended with a `failed` event saying
 * so, as are its notifications and commit status), its containers removed, its lock freed.
 * Requests still waiting, owned by no process, stay.
 */
import { reconcile } from "../pipeline/reconcile.js";
import type { App } from "./app.js";
import { deploymentEnded } from "./deployment-hooks.js";
import { recordEvents } from "./event-log.js";

/** Lines saying what was put right, for the server's log. */
export async function reconcileAll(app: App): Promise<string[]> {
  const deps = await app.deps();
  const { store } = deps;
  const said: string[] = [];
  for (const environmentId of await store.orphanedEnvironments()) {
    const place = await store.environmentPlace(environmentId);
    if (!place) continue;
    const orphans = await store.orphanedDeployments(environmentId);
    try {
      const done = await reconcile(deps, { project: place.project, environment: place.environment, environmentId, dir: place.dir });
      said.push(...done.interrupted.map((line) => `${place.project}/${place.environment}: ${line}`));
    } catch (error) {
      // The engine may be down: the rows wait for the next try, the other environments do not.
      said.push(`${place.project}/${place.environment}: could not reconcile: ${(error as Error).message}`);
      continue;
    }
    const recorder = recordEvents(app, store);
    for (const orphan of orphans) {
      const row = await store.deployment(orphan.id);
      if (row?.status !== "interrupted") continue;
      recorder.sink({ type: "failed", deploymentId: orphan.id, code: "E_INTERRUPTED", message: row.error ?? "its process stopped" });
      deploymentEnded(app, orphan.id);
    }
    await recorder.flush();
  }
  return said;
}
