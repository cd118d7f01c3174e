/**
 * A limit on how many builds run at once in this process (a server's host-wide limit): the rest
 * wait, in the order they asked, and stop waiting when their deployment is cancelled.
 */
export interface BuildSlots {
  /** Resolves when a slot is free; dispose of it to free it again. */
  acquire(signal?: AbortSignal): Promise<Disposable>;
  readonly limit: number;
  /** Builds running now. */
  readonly busy: number;
}

export function buildSlots(limit: number): BuildSlots {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a build limit must be a whole number of 1 or more, not ${limit}`);
  let busy = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  };
  const slot = (): Disposable => {
    let freed = false;
    return {
      [Symbol.dispose]: () => {
        if (freed) return;
        freed = true;
        release();
      },
    };
  };
  return {
    limit,
    get busy() {
      return busy;
    },
    acquire(signal) {
      signal?.throwIfAborted();
      if (busy < limit) {
        busy++;
        return Promise.resolve(slot());
      }
      return new Promise<Disposable>((resolve, reject) => {
        // The slot passes straight to the next waiter: `busy` stays as it is.
        const grant = (): void => {
          signal?.removeEventListener("abort", abort);
          resolve(slot());
        };
        const abort = (): void => {
          waiting.splice(waiting.indexOf(grant), 1);
          reject(signal?.reason as Error);
        };
        waiting.push(grant);
        signal?.addEventListener("abort", abort, { once: true });
      });
    },
  };
}
