/**
 * A load generator (autocannon) through the router during a deploy: keep-alive connections,
 * no retries, bounded in time, to 127.0.0.1 only. Failed requests = errors + non-2xx.
 */
import autocannon from "autocannon";
import { Agent, request } from "node:http";

export interface LoadResult {
  readonly requests: number;
  readonly failed: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

export interface Load {
  stop(): Promise<LoadResult>;
}

export function startLoad(options: { port: number; path?: string; connections?: number; maxSeconds?: number }): Load {
  let finish: (result: LoadResult) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<LoadResult>((resolve, reject) => ((finish = resolve), (fail = reject)));
  // The callback form returns the instance (which can be stopped) rather than a promise.
  const instance = autocannon(
    { url: `http://127.0.0.1:${options.port}${options.path ?? "/"}`, connections: options.connections ?? 30, duration: options.maxSeconds ?? 180, timeout: 20 },
    (error, result) => {
      if (error) fail(error as Error);
      else finish({ requests: result.requests.total, failed: result.errors + result.non2xx, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx });
    },
  );
  return {
    stop() {
      instance.stop();
      return done;
    },
  };
}

/** What became of each request of a `startRequestLoad`. */
export interface RequestLoadResult {
  readonly ok: number;
  /** Answers other than 2xx, by status. */
  readonly statuses: Readonly<Record<number, number>>;
  /** Refused connections: nothing listened, so the request never reached anyone. */
  readonly refused: number;
  /** Requests sent that got no answer: reset, hung up or timed out in flight. */
  readonly lostInFlight: number;
  readonly errors: Readonly<Record<string, number>>;
  /** When the last refused or lost request was seen (ms since the epoch; 0 for never). */
  readonly lastFailureAt: number;
}

/**
 * Like `startLoad` (keep-alive clients that never retry a request), but tells failures apart,
 * for tests where the listener itself goes away for a moment: a refused connection (no listener,
 * nothing was sent) from a request lost in flight (sent, never answered) and from an answer
 * that is an error (a 503 from an empty backend).
 */
export function startRequestLoad(options: { port: number; path?: string; connections?: number }): { stop(): Promise<RequestLoadResult> } {
  const connections = options.connections ?? 30;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const result = { ok: 0, statuses: {} as Record<number, number>, refused: 0, lostInFlight: 0, errors: {} as Record<string, number>, lastFailureAt: 0 };
  let running = true;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request({ host: "127.0.0.1", port: options.port, path: options.path ?? "/", agent, timeout: 20_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) result.ok++;
          else result.statuses[status] = (result.statuses[status] ?? 0) + 1;
          resolve();
        });
        res.on("error", () => resolve());
      });
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", (error: NodeJS.ErrnoException) => {
        const kind = error.code ?? error.message;
        result.errors[kind] = (result.errors[kind] ?? 0) + 1;
        if (kind === "ECONNREFUSED") result.refused++;
        else result.lostInFlight++;
        result.lastFailureAt = Date.now();
        resolve();
      });
      req.end();
    });
  const clients = Array.from({ length: connections }, async () => {
    while (running) await once();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      agent.destroy();
      return result;
    },
  };
}
