/**
 * A deployment's events, kept: each one emitted goes into the store (in order, in batches, with
 * the time it happened) and wakes this process's readers; `followEvents` replays what is kept,
 * then what comes, and ends after the deployment's last event.
 */
import { isFinal, type DeploymentEvent, type EventSink } from "../core/events.js";
import type { StoredEvent } from "../store/server-types.js";
import type { Store } from "../store/store.js";
import type { App } from "./app.js";

export type { StoredEvent } from "../store/server-types.js";

export interface EventRecorder {
  readonly sink: EventSink;
  /** Resolves when everything emitted so far is stored. */
  flush(): Promise<void>;
}

export function recordEvents(app: App, store: Store, forward?: EventSink): EventRecorder {
  let pending: Array<{ deploymentId: number; type: string; json: string }> = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;
  const flush = (): Promise<void> => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(() => store.appendEvents(batch))
      .then(() => app.feed.notify(batch.map((e) => e.deploymentId)))
      // A lost batch is lost to late readers only: the deployment itself goes on.
      .catch(() => undefined);
    return writing;
  };
  const sink: EventSink = (event: DeploymentEvent) => {
    forward?.(event);
    if (event.deploymentId === undefined) return;
    pending.push({ deploymentId: event.deploymentId, type: event.type, json: JSON.stringify({ ...event, at: new Date(app.clock.now()).toISOString() }) });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => void flush());
    }
  };
  return { sink, flush };
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled", "interrupted", "superseded"]);
/** How long a finished deployment's last event may take to be written before a reader stops waiting. */
const FINAL_GRACE_MS = 3000;

export interface FollowOptions {
  readonly deploymentId: number;
  /** The id of the last event the reader has (Last-Event-ID); 0 for all. */
  readonly after: number;
  readonly signal?: AbortSignal;
  /** How often to look for events another process wrote. */
  readonly pollMs?: number;
}

/** The stored events after `after`, then live ones, until the final one (or the signal aborts). */
export async function* followEvents(app: App, options: FollowOptions): AsyncGenerator<StoredEvent> {
  const { store } = await app.deps();
  let after = options.after;
  let finishedAt: number | undefined;
  while (!options.signal?.aborted) {
    const batch = await store.events(options.deploymentId, after, 500);
    for (const event of batch) {
      yield event;
      after = event.id;
      if (isFinal(JSON.parse(event.json) as DeploymentEvent)) return;
    }
    if (batch.length === 500) continue;
    const row = await store.deployment(options.deploymentId);
    if (!row) return;
    if (TERMINAL.has(row.status)) {
      finishedAt ??= app.clock.now();
      if (app.clock.now() - finishedAt > FINAL_GRACE_MS) return;
    }
    await app.feed.wait(options.deploymentId, { timeoutMs: finishedAt === undefined ? (options.pollMs ?? 1000) : 200, ...(options.signal ? { signal: options.signal } : {}) });
  }
}
