/**
 * What happens outside when a deployment is queued or ends: its commit status at the git
 * provider, and (at its end) the signed event to each notification target. Both calls return at
 * once and never throw: the work goes on in the background of the process, one deployment's
 * reports in the order they were asked (an end after its pending), so that it never holds up
 * or fails a deployment. `settleDeliveries` waits for what is still under way.
 */
import type { DeployRequest } from "../pipeline/deploy-run.js";
import type { App } from "./app.js";
import { runInBackground, SETTLE_MS, settleBackground } from "./background.js";
import { deploymentFacts, hasEnded } from "./deployment-facts.js";
import { notifyEnded } from "./notify.js";
import { phaseOf, reportStatus } from "./report-status.js";

interface HookState {
  /** Per deployment, the end of its latest report: the next one starts after it. */
  readonly chains: Map<number, Promise<void>>;
  /** Deployments whose end was reported by this process (a few bytes each, for the process's life). */
  readonly ended: Set<number>;
}

const states = new WeakMap<App, HookState>();

function stateOf(app: App): HookState {
  let state = states.get(app);
  if (!state) {
    state = { chains: new Map(), ended: new Set() };
    states.set(app, state);
  }
  return state;
}

/** Runs `task` after the deployment's earlier reports, in the background. */
function after(app: App, deploymentId: number, task: (signal: AbortSignal) => Promise<void>): void {
  const { chains } = stateOf(app);
  const previous = chains.get(deploymentId) ?? Promise.resolve();
  const next = new Promise<void>((resolve) => {
    runInBackground(app, async (signal) => {
      try {
        await previous;
        await task(signal);
      } finally {
        resolve();
      }
    });
  });
  chains.set(deploymentId, next);
  void next.then(() => {
    if (chains.get(deploymentId) === next) chains.delete(deploymentId);
  });
}

/**
 * A deployment is queued: its commit gets a pending status. `request` is the pipeline's, when
 * known (its commit; a dirty tree's snapshot, which is no commit to report on); else a ref that
 * is a full commit will do. A second call for one deployment reports nothing more.
 */
export function deploymentQueued(app: App, deploymentId: number, request?: Pick<DeployRequest, "commit" | "snapshot">): void {
  if (request?.snapshot !== undefined) return;
  after(app, deploymentId, async (signal) => {
    const facts = await deploymentFacts(app, deploymentId);
    if (!facts || hasEnded(facts.row.status)) return;
    const commit = request?.commit ?? facts.commit;
    await reportStatus(app, { ...facts, ...(commit ? { commit } : {}) }, "pending", signal);
  });
}

/**
 * A deployment ended (its row says how): notifications and the final commit status go out.
 * Called before its row is final (a failure its caller records next), it does nothing; a
 * second call after the end was reported does nothing either.
 */
export function deploymentEnded(app: App, deploymentId: number): void {
  const { ended } = stateOf(app);
  after(app, deploymentId, async (signal) => {
    if (ended.has(deploymentId)) return;
    const facts = await deploymentFacts(app, deploymentId);
    if (!facts || !hasEnded(facts.row.status)) return;
    ended.add(deploymentId);
    await Promise.allSettled([notifyEnded(app, facts, signal), reportStatus(app, facts, phaseOf(facts.row.status), signal)]);
  });
}

/** Waits for every report under way, up to `timeoutMs`, then stops what is left; true when all finished. */
export function settleDeliveries(app: App, timeoutMs = SETTLE_MS): Promise<boolean> {
  return settleBackground(app, timeoutMs);
}
