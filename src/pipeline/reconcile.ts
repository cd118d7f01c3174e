/**
 * What a deployment killed outright (kill -9, a crash, a reboot) left behind, put right by the
 * next command on its environment: its rows marked interrupted with the step it died in, the
 * containers and networks of releases that are neither live nor kept (its new release, a release
 * task still running; on a swarm, their stacks and jobs), every env file still on disk, and its lock. Done under the environment's
 * lock, taken over from the dead holder; when a live process holds it, there is nothing to do.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { statusCode } from "../adapters/engine-types.js";
import { LABEL } from "../plan/naming.js";
import { STACK_LABEL } from "../plan/swarm-stack.js";
import type { LockedError } from "../store/store.js";
import { composeDown } from "./compose-down.js";
import type { DeployDeps } from "./deploy-run.js";
import { runsAsOf } from "./release-snapshot.js";

export interface ReconcileTarget {
  readonly project: string;
  readonly environment: string;
  readonly environmentId: number;
  /** The project's directory, for compose. */
  readonly dir: string;
}

export interface Reconciled {
  /** "deployment 12 (deploy of main) was interrupted during build" */
  readonly interrupted: readonly string[];
  readonly removed: readonly string[];
}

type ReconcileDeps = Pick<DeployDeps, "store" | "engine" | "compose" | "paths" | "identity" | "stacks">;

export async function reconcile(deps: ReconcileDeps, target: ReconcileTarget): Promise<Reconciled> {
  const { store } = deps;
  const orphans = await store.orphanedDeployments(target.environmentId);
  if (orphans.length === 0) return { interrupted: [], removed: [] };
  let lock: AsyncDisposable;
  try {
    lock = await store.acquireLock(target.environmentId, { description: "reconciling an interrupted deployment", pid: deps.identity.pid, hostname: deps.identity.hostname }, { wait: false });
  } catch (error) {
    // A live process holds the lock: it is running; what it left is its own.
    if ((error as LockedError).code === "E_LOCKED") return { interrupted: [], removed: [] };
    throw error;
  }
  await using _lock = lock;
  const interrupted: string[] = [];
  for (const d of await store.orphanedDeployments(target.environmentId)) {
    const step = await store.markInterrupted(d.id, "its process stopped");
    interrupted.push(`deployment ${d.id} (${d.kind} of ${d.ref}) was interrupted${step ? ` during ${step}` : " before it started"}`);
  }
  const removed = [...(await removeStrayReleases(deps, target)), ...(await removeStrayStacks(deps, target)), ...removeEnvFiles(deps.paths, target)];
  return { interrupted, removed };
}

/** What the live and kept releases run as, and the accessories: what no clean-up of strays may touch. */
async function keptReleaseNames(store: DeployDeps["store"], environmentId: number): Promise<Set<string>> {
  const releases = await store.releases(environmentId, { statuses: ["live", "superseded"] });
  return new Set(["accessories", ...releases.filter((r) => r.status === "live" || r.status === "superseded").map(runsAsOf)]);
}

/**
 * Releases with containers that are neither the live one nor the one kept for a rollback: what a
 * killed deployment started (a release task still running among them). Only under the lock.
 */
export async function removeStrayReleases(deps: Pick<DeployDeps, "store" | "engine" | "compose">, target: ReconcileTarget): Promise<string[]> {
  const keep = await keptReleaseNames(deps.store, target.environmentId);
  const containers = await deps.engine.containers({ [LABEL.project]: target.project, [LABEL.environment]: target.environment });
  const projects = new Set(containers.filter((c) => !keep.has(c.labels[LABEL.release] ?? "accessories")).map((c) => c.labels["com.docker.compose.project"] ?? ""));
  const removed: string[] = [];
  for (const projectName of [...projects].filter(Boolean)) {
    await composeDown(deps.compose, { projectName, files: [], projectDirectory: target.dir });
    await deps.engine.removeNetworks({ "com.docker.compose.project": projectName });
    removed.push(projectName);
  }
  return removed;
}

/**
 * On a swarm, the same for stacks: the services (a release job among them) of releases neither
 * live nor kept, and their stacks' networks. An engine that is no swarm manager has none.
 */
export async function removeStrayStacks(deps: Pick<DeployDeps, "store" | "stacks">, target: Omit<ReconcileTarget, "dir">): Promise<string[]> {
  if (!deps.stacks) return [];
  let services;
  try {
    services = await deps.stacks.services({ [LABEL.project]: target.project, [LABEL.environment]: target.environment });
  } catch (error) {
    if (statusCode(error) === 503) return []; // "This node is not a swarm manager"
    throw error;
  }
  const keep = await keptReleaseNames(deps.store, target.environmentId);
  const stray = services.filter((s) => !keep.has(s.labels[LABEL.release] ?? "accessories"));
  if (stray.length === 0) return [];
  await deps.stacks.removeServices(stray.map((s) => s.id));
  const stacks = [...new Set(stray.map((s) => s.labels[STACK_LABEL] ?? ""))].filter(Boolean);
  for (const stack of stacks) await deps.stacks.removeNetworks({ [STACK_LABEL]: stack }, 60_000);
  return stacks.map((stack) => `stack ${stack}`);
}

/** Env files exist only while compose starts a release; any left when no deployment runs is a dead one's. */
export function removeEnvFiles(paths: DeployDeps["paths"], target: Pick<ReconcileTarget, "project" | "environment">): string[] {
  const root = dirname(paths.release(target.project, target.environment, "v1"));
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  for (const release of readdirSync(root)) {
    for (const file of readdirSync(join(root, release)).filter((f) => f.endsWith(".env"))) {
      rmSync(join(root, release, file), { force: true });
      removed.push(`${release}/${file}`);
    }
  }
  return removed;
}

/** One line a thing done, for the output of the command that did it. */
export function describeReconciled(reconciled: Reconciled): string[] {
  return [...reconciled.interrupted.map((line) => `reconciled: ${line}`), ...(reconciled.removed.length > 0 ? [`reconciled: removed ${reconciled.removed.join(", ")}`] : [])];
}
