/**
 * One HTTP POST delivered with retries: each attempt bounded by a timeout, a network error or
 * an answer other than 2xx tried again after the next delay of its policy, every attempt handed
 * to `record` (its number, the status or the error, how long it took). Redirects are not
 * followed: a receiver that moved says so by failing.
 */
import type { Clock } from "../core/clock.js";
import { sleepUnlessAborted } from "./background.js";

export interface RetryPolicy {
  /** The waits between attempts: n delays, n + 1 attempts. */
  readonly delaysMs: readonly number[];
  /** How long one attempt may take, answer included. */
  readonly timeoutMs: number;
}

/** 5 attempts, 1 s, 2 s, 4 s, 8 s apart. */
export const NOTIFICATION_RETRIES: RetryPolicy = { delaysMs: [1000, 2000, 4000, 8000], timeoutMs: 10_000 };
/** 3 attempts, 1 s and 4 s apart: a status is worth less than a notification, and a later one replaces it. */
export const STATUS_RETRIES: RetryPolicy = { delaysMs: [1000, 4000], timeoutMs: 10_000 };

export interface HttpPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface AttemptOutcome {
  readonly attempt: number;
  readonly httpStatus?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export interface DeliveryOptions {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** Aborted: no further attempt (the one under way is cut short). */
  readonly signal: AbortSignal;
  /** Each attempt, with the answer's body when it succeeded. */
  readonly record: (outcome: AttemptOutcome, body?: string) => Promise<void>;
}

/** The 2xx answer's body, or undefined when every attempt failed (or the signal stopped them). */
export async function postWithRetries(request: HttpPost, options: DeliveryOptions): Promise<string | undefined> {
  const { policy, clock, signal } = options;
  for (let attempt = 1; attempt <= policy.delaysMs.length + 1; attempt++) {
    if (attempt > 1) {
      try {
        await sleepUnlessAborted((ms) => clock.sleep(ms), policy.delaysMs[attempt - 2] ?? 0, signal);
      } catch {
        return undefined;
      }
    }
    const began = clock.now();
    const answer = await postOnce(request, AbortSignal.any([signal, AbortSignal.timeout(policy.timeoutMs)]), policy.timeoutMs);
    await options.record({ attempt, ...answer.outcome, durationMs: Math.max(0, clock.now() - began) }, answer.body);
    if (answer.body !== undefined) return answer.body;
    if (signal.aborted) return undefined;
  }
  return undefined;
}

async function postOnce(request: HttpPost, signal: AbortSignal, timeoutMs: number): Promise<{ outcome: { httpStatus?: number; error?: string }; body?: string }> {
  try {
    const response = await fetch(request.url, { method: "POST", headers: { "content-type": "application/json", ...request.headers }, body: request.body, redirect: "manual", signal });
    const text = await response.text();
    if (response.ok) return { outcome: { httpStatus: response.status }, body: text };
    return { outcome: { httpStatus: response.status, error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}` } };
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return { outcome: { error: timedOut ? `no answer within ${timeoutMs / 1000} s` : describeFetchError(error) } };
  }
}

/** fetch says "fetch failed"; what failed is in its cause (ECONNREFUSED, a DNS failure, …). */
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${(error as Error).message} (${detail})` : (error as Error).message;
}
