/**
 * Who is waiting for a deployment's next events in this process: a writer says "there is more
 * for deployment N", each reader waiting on N wakes and reads the store. Readers also wake on a
 * timeout, for events another process wrote (two servers on one database).
 */
export interface EventFeed {
  /** Resolves when `notify` names the deployment, after `timeoutMs`, or when the signal aborts. */
  wait(deploymentId: number, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  notify(deploymentIds: Iterable<number>): void;
}

export function createEventFeed(): EventFeed {
  const waiters = new Map<number, Set<() => void>>();
  return {
    wait(deploymentId, { timeoutMs, signal }) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(deploymentId) ?? new Set<() => void>();
        waiters.set(deploymentId, set);
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          set.delete(done);
          if (set.size === 0 && waiters.get(deploymentId) === set) waiters.delete(deploymentId);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener("abort", done, { once: true });
        set.add(done);
        if (signal?.aborted) done();
      });
    },
    notify(deploymentIds) {
      for (const id of new Set(deploymentIds)) for (const wake of [...(waiters.get(id) ?? [])]) wake();
    },
  };
}
