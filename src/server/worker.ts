/**
 * The queue worker: claims what can run (one deployment at a time per environment, the store
 * says which), runs each under its own AbortController with a deadline, polls for
 * cancellations asked through any server, and on stop lets running deployments reach their end
 * for a grace period before cancelling them cleanly through the same abort path.
 */
import { cancelsAsked, claimNext, reconcileAll, runClaimed, SlipwayError, type App, type ClaimedDeployment } from "../app/index.js";
import type { WorkerControl } from "./context.js";

export interface WorkerOptions {
  readonly app: App;
  /** A deployment still running after this long is cancelled (before its switch). */
  readonly deadlineMs: number;
  /** Deployments run at once by this process, across environments. */
  readonly maxRunning: number;
  /** How often to look for work and cancellations another process recorded. */
  readonly pollMs?: number;
  /** How often to reconcile deployments a dead process left. */
  readonly reconcileMs?: number;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface Worker extends WorkerControl {
  start(): Promise<void>;
  /** Stops claiming; waits up to `graceMs` for running deployments, then cancels them; resolves when all ended. */
  stop(graceMs: number): Promise<void>;
  /** The ids this process runs now. */
  running(): number[];
}

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

const cancelled = (why: string): SlipwayError => new SlipwayError("E_CANCELLED", `the deployment was cancelled (${why})`);

export function createWorker(options: WorkerOptions): Worker {
  const { app, log } = options;
  const running = new Map<number, Running>();
  let stopping = false;
  let ticking: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastReconcile = 0;

  const launch = (claimed: ClaimedDeployment): void => {
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(cancelled(`it passed its deadline of ${Math.round(options.deadlineMs / 60_000)} minutes`)), options.deadlineMs);
    log("deployment claimed", { deploymentId: claimed.id, kind: claimed.kind, ref: claimed.ref });
    const done = runClaimed(app, claimed, { signal: controller.signal })
      .then((status) => log("deployment ended", { deploymentId: claimed.id, status }))
      .finally(() => {
        clearTimeout(deadline);
        running.delete(claimed.id);
        wake();
      });
    running.set(claimed.id, { controller, done });
  };

  const checkCancels = async (): Promise<void> => {
    for (const id of await cancelsAsked(app, [...running.keys()])) running.get(id)?.controller.abort(cancelled("asked through the API"));
  };

  const tick = async (): Promise<void> => {
    if (app.clock.now() - lastReconcile >= (options.reconcileMs ?? 30_000)) {
      lastReconcile = app.clock.now();
      for (const line of await reconcileAll(app)) log(line);
    }
    while (!stopping && running.size < options.maxRunning) {
      const claimed = await claimNext(app);
      if (!claimed) break;
      launch(claimed);
    }
    await checkCancels();
  };

  const runTick = (): void => {
    if (stopping) return;
    if (ticking) {
      again = true;
      return;
    }
    clearTimeout(timer);
    ticking = tick()
      .catch((error: unknown) => log("the queue worker's round failed; it tries again", { error: app.redactor.apply((error as Error).message) }))
      .finally(() => {
        ticking = undefined;
        if (again) {
          again = false;
          runTick();
        } else if (!stopping) timer = setTimeout(runTick, options.pollMs ?? 1000);
      });
  };

  const wake = (): void => runTick();

  return {
    async start() {
      runTick();
      await ticking;
    },
    wake,
    cancel(deploymentId, reason) {
      const entry = running.get(deploymentId);
      entry?.controller.abort(cancelled(reason));
      return entry !== undefined;
    },
    running: () => [...running.keys()],
    async stop(graceMs) {
      stopping = true;
      clearTimeout(timer);
      await ticking;
      const all = (): Promise<unknown> => Promise.all([...running.values()].map((r) => r.done));
      if (running.size > 0) log("waiting for running deployments to end", { deployments: [...running.keys()], graceSeconds: graceMs / 1000 });
      const ended = await Promise.race([all().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref())]);
      if (!ended) {
        log("the grace period ended: cancelling what still runs", { deployments: [...running.keys()] });
        for (const r of running.values()) r.controller.abort(cancelled("the server stopped"));
        await all();
      }
    },
  };
}
