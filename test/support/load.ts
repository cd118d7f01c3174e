/**
 * A load generator (autocannon) through the router during a deploy: keep-alive connections,
 * no retries, bounded in time, to 127.0.0.1 only. Failed requests = errors + non-2xx.
 */
import autocannon from "autocannon";

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
