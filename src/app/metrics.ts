/**
 * The numbers a server reports (the server renders them as Prometheus text): deployments by
 * outcome, how long finished ones ran (a histogram), and how many wait in the queue.
 */
import type { App } from "./app.js";

/** Upper bounds, in seconds: a deploy that reuses its build takes seconds, one that builds minutes. */
export const DURATION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;

export interface Metrics {
  readonly deployments: Readonly<Record<string, number>>;
  readonly queueDepth: number;
  /** Per outcome: cumulative counts per bucket (then +Inf), the sum and the count. */
  readonly durations: Readonly<Record<string, { buckets: readonly number[]; sum: number; count: number }>>;
}

export async function metrics(app: App): Promise<Metrics> {
  const { byStatus, durations } = await (await app.deps()).store.deploymentStats();
  const histograms: Record<string, { buckets: number[]; sum: number; count: number }> = {};
  for (const { status, seconds } of durations) {
    const h = (histograms[status] ??= { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 });
    DURATION_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count++;
  }
  return { deployments: byStatus, queueDepth: byStatus.queued ?? 0, durations: histograms };
}
