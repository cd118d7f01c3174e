/** Unlock: breaks an environment's deploy lock, after saying who holds it; recorded in the history. */
import { SlipwayError } from "../core/errors.js";
import type { LockRow } from "../store/store.js";
import type { App } from "./app.js";
import { openEnvironment, type ProjectRequest } from "./project.js";

export interface UnlockRequest extends ProjectRequest {
  readonly actor: string;
  /** Shown who holds the lock, says whether to break it. */
  readonly confirm: (lock: LockRow) => Promise<boolean>;
}

export interface UnlockOutcome {
  readonly lock: LockRow | undefined;
  readonly broken: boolean;
}

export async function unlock(app: App, request: UnlockRequest): Promise<UnlockOutcome> {
  const env = await openEnvironment(app, request);
  const { store } = await app.deps();
  const lock = await store.lock(env.environmentId);
  if (!lock) return { lock: undefined, broken: false };
  if (!(await request.confirm(lock))) throw new SlipwayError("E_USAGE", "the lock was left as it is");
  await store.breakLock(env.environmentId);
  // In the history as a deployment of its own: who broke whose lock, and when.
  const id = await store.createDeployment({ environmentId: env.environmentId, kind: "unlock", ref: `lock of ${lock.holder}`, actor: request.actor });
  await store.updateDeployment(id, { status: "succeeded", finishedAt: new Date(app.clock.now()) });
  // The holder's deployment, if its process is gone, is reconciled by the next command.
  return { lock, broken: true };
}
