/** This process as the store's actor: what the composition root passes, and the default for tests. */
import { hostname } from "node:os";
import { processStarted } from "./liveness.js";
import type { StoreIdentity } from "./types.js";

export function processIdentity(now: () => Date = () => new Date()): StoreIdentity {
  const started = processStarted(process.pid);
  return { pid: process.pid, hostname: hostname(), now, ...(started ? { started } : {}) };
}
