/**
 * What wrk printed, as numbers: its requests per second, its 99th percentile (with --latency),
 * and every failed request it counts (socket errors of each kind and non-2xx/3xx answers).
 * wrk has no machine-readable output but a Lua hook, so its summary is read here.
 */
export interface WrkResult {
  readonly requests: number;
  readonly rps: number;
  readonly p99Ms: number;
  readonly failed: number;
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function number(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`wrk printed no ${what}:\n${text}`);
  return Number(match[1]);
}

export function parseWrk(text: string): WrkResult {
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  if (!p99?.[1] || !p99[2]) throw new Error(`wrk printed no 99% latency (run it with --latency):\n${text}`);
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = sockets ? sockets.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: number(text, /^\s*(\d+) requests in /m, "request count"),
    rps: number(text, /^Requests\/sec:\s+([\d.]+)/m, "requests per second"),
    p99Ms: Number(p99[1]) * (UNIT_MS[p99[2]] ?? 1),
    failed: socketErrors + (non2xx ? Number(non2xx[1]) : 0),
  };
}
