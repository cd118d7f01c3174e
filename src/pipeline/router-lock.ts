/**
 * One router serves every environment deployed on the host, so changes to its routes (the
 * registry, its config, a reload, creating the container) are made by one process at a time:
 * two environments deploying at once would otherwise lose each other's registry entries, or
 * both try to create the router. proper-lockfile takes the lock with an atomic mkdir and keeps
 * it fresh while held; a lock whose holder died goes stale and is taken over.
 */
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { SlipwayError } from "../core/errors.js";
import { privateDir } from "../core/private-files.js";

const STALE_MS = 10_000;
const POLL_MS = 50;
/** Held for a reload or a router's creation at most: seconds. Waiting longer means trouble. */
const WAIT_MS = 120_000;

export async function withRouterLock<T>(dir: string, body: () => Promise<T>): Promise<T> {
  privateDir(dir);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, "routes.lock"),
      realpath: false,
      stale: STALE_MS,
      retries: { retries: WAIT_MS / POLL_MS, factor: 1, minTimeout: POLL_MS, maxTimeout: POLL_MS },
      // Only if the lock could not be kept fresh (a stalled process): the short work under it
      // goes on, since stopping halfway would leave the router worse off than finishing.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "ELOCKED") throw error;
    throw new SlipwayError("E_LOCKED", `another deployment on this host has been changing the router's routes for ${WAIT_MS / 1000} s (lock ${join(dir, "routes.lock")}): try again`, { cause: error });
  }
  try {
    return await body();
  } finally {
    await release().catch(() => undefined);
  }
}
