/**
 * Work a process goes on doing after the operation that started it returned: the deliveries of
 * what a deployment reports. Tracked per application, so that whoever closes it (the CLI at the
 * end of a call, a server on SIGTERM) can wait for it, for a bounded time, and then stop it.
 * Keyed by any object (the App), so this file needs nothing of app.ts.
 */

interface Tracker {
  readonly pending: Set<Promise<void>>;
  readonly controller: AbortController;
}

const trackers = new WeakMap<object, Tracker>();

/** How long a closing process waits for its background work, by default, before stopping it. */
export const SETTLE_MS = 30_000;

function trackerOf(owner: object): Tracker {
  let tracker = trackers.get(owner);
  if (!tracker) {
    tracker = { pending: new Set(), controller: new AbortController() };
    trackers.set(owner, tracker);
  }
  return tracker;
}

/**
 * Starts `task` now and returns at once. The task gets a signal aborted when the owner stops
 * waiting for it; its failure is its own to record: here it is dropped, never thrown.
 */
export function runInBackground(owner: object, task: (signal: AbortSignal) => Promise<void>): void {
  const tracker = trackerOf(owner);
  const running: Promise<void> = Promise.resolve()
    .then(() => task(tracker.controller.signal))
    .catch(() => undefined)
    .finally(() => tracker.pending.delete(running));
  tracker.pending.add(running);
}

/** Waits until no task runs (tasks started meanwhile included), up to `timeoutMs`; then aborts what is left and waits for it to stop. True when all finished in time. */
export async function settleBackground(owner: object, timeoutMs: number): Promise<boolean> {
  const tracker = trackers.get(owner);
  if (!tracker) return true;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    while (tracker.pending.size > 0) {
      const done = await Promise.race([Promise.all(tracker.pending).then(() => true), expired]);
      if (!done) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (tracker.pending.size === 0) return true;
  tracker.controller.abort(new Error("the process is stopping"));
  // Work started from now on gets a signal of its own.
  trackers.delete(owner);
  await Promise.all(tracker.pending);
  return false;
}

/** `ms` on the clock, or less when the signal is aborted (it then rejects with its reason). */
export function sleepUnlessAborted(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => reject(error as Error),
    );
  });
}
