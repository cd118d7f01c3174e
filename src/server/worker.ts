/**
 * The queue worker: claims what can run (one deployment at a time per environment, the store
 * says which), runs each under its own AbortController with a deadline, polls for
 * cancellations asked through any server, and on stop lets running deployments reach their end
 * for a grace period before cancelling them cleanly through the same abort path. Nothing runs
 * until `start`.
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
  /**
   * Renews what certificates are due (idempotent: a certificate not due is left alone); run at
   * start and then every `renewMs`, beside the queue, never holding it up.
   */
  readonly renew?: () => Promise<ReadonlyArray<{ name: string; action: string; message: string }>>;
  readonly renewMs?: number;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface Worker extends WorkerControl {
  /** Reconciles what a dead process left, claims what can run, then goes on polling. */
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

/** How often the server renews what certificates are due (each is due with a third of its lifetime left). */
const RENEW_EVERY_MS = 6 * 3600_000;

const cancelled = (why: string): SlipwayError => new SlipwayError("E_CANCELLED", `the deployment was cancelled (${why})`);

class QueueWorker implements Worker {
  readonly #options: WorkerOptions;
  readonly #running = new Map<number, Running>();
  #stopping = false;
  #round: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #lastReconcile = Number.NEGATIVE_INFINITY;
  #lastRenew = Number.NEGATIVE_INFINITY;
  #renewing: Promise<void> | undefined;

  constructor(options: WorkerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.wake();
    await this.#round;
  }

  running(): number[] {
    return [...this.#running.keys()];
  }

  /** A round now (or right after the one under way), rather than at the next poll. */
  wake(): void {
    if (this.#stopping) return;
    if (this.#round) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#round = this.#tick()
      .catch((error: unknown) => this.#options.log("the queue worker's round failed; it tries again", { error: this.#options.app.redactor.apply((error as Error).message) }))
      .finally(() => this.#afterRound());
  }

  cancel(deploymentId: number, reason: string): boolean {
    const entry = this.#running.get(deploymentId);
    entry?.controller.abort(cancelled(reason));
    return entry !== undefined;
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#round;
    await this.#renewing;
    if (this.#running.size === 0) return;
    this.#options.log("waiting for running deployments to end", { deployments: this.running(), graceSeconds: graceMs / 1000 });
    const all = (): Promise<unknown> => Promise.all([...this.#running.values()].map((r) => r.done));
    const ended = await Promise.race([all().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref())]);
    if (ended) return;
    this.#options.log("the grace period ended: cancelling what still runs", { deployments: this.running() });
    for (const r of this.#running.values()) r.controller.abort(cancelled("the server stopped"));
    await all();
  }

  #afterRound(): void {
    this.#round = undefined;
    if (this.#again) {
      this.#again = false;
      this.wake();
    } else if (!this.#stopping) {
      this.#timer = setTimeout(() => this.wake(), this.#options.pollMs ?? 1000);
    }
  }

  async #tick(): Promise<void> {
    const { app } = this.#options;
    if (app.clock.now() - this.#lastReconcile >= (this.#options.reconcileMs ?? 30_000)) {
      this.#lastReconcile = app.clock.now();
      for (const line of await reconcileAll(app)) this.#options.log(line);
    }
    this.#renewIfDue();
    while (!this.#stopping && this.#running.size < this.#options.maxRunning) {
      const claimed = await claimNext(app);
      if (!claimed) break;
      this.#launch(claimed);
    }
    for (const id of await cancelsAsked(app, this.running())) this.cancel(id, "asked through the API");
  }

  /** Certificates renewed in the background: an ACME order takes seconds, the queue goes on. */
  #renewIfDue(): void {
    const { app, renew, log } = this.#options;
    if (!renew || this.#renewing || app.clock.now() - this.#lastRenew < (this.#options.renewMs ?? RENEW_EVERY_MS)) return;
    this.#lastRenew = app.clock.now();
    this.#renewing = renew()
      .then((outcomes) => {
        for (const o of outcomes.filter((x) => x.action !== "not-due")) log(`certificate ${o.name} ${o.action}`, { message: app.redactor.apply(o.message) });
      })
      .catch((error: unknown) => log("renewing certificates failed; it tries again at the next round", { error: app.redactor.apply((error as Error).message) }))
      .finally(() => (this.#renewing = undefined));
  }

  #launch(claimed: ClaimedDeployment): void {
    const { app, deadlineMs, log } = this.#options;
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(cancelled(`it passed its deadline of ${Math.round(deadlineMs / 60_000)} minutes`)), deadlineMs);
    log("deployment claimed", { deploymentId: claimed.id, kind: claimed.kind, ref: claimed.ref });
    const done = runClaimed(app, claimed, { signal: controller.signal })
      .then((status) => log("deployment ended", { deploymentId: claimed.id, status }))
      .finally(() => {
        clearTimeout(deadline);
        this.#running.delete(claimed.id);
        this.wake();
      });
    this.#running.set(claimed.id, { controller, done });
  }
}

export function createWorker(options: WorkerOptions): Worker {
  return new QueueWorker(options);
}
