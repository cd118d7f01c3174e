/**
 * `slipway … --json` as a child process whose events the test watches as they come, so that it
 * can signal the deployer at the start of a given step (kill -9, SIGTERM, SIGINT), not after a
 * sleep.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { BIN } from "./cli.js";

export interface WatchedEvent {
  readonly event: string;
  readonly step?: string;
  readonly status?: string;
  readonly deploymentId?: number;
  readonly code?: string;
}

export interface Watched {
  readonly child: ChildProcess;
  /** Resolves with the first event that matches (rejects if the process exits first). */
  until(match: (event: WatchedEvent) => boolean): Promise<WatchedEvent>;
  /** Every event so far. */
  readonly events: WatchedEvent[];
  /** The exit code, or 128 + the signal's number. */
  exited: Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2 };

export function watchSlipway(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Watched {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, CI: "true", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  const events: WatchedEvent[] = [];
  const waiters: Array<{ match: (e: WatchedEvent) => boolean; resolve: (e: WatchedEvent) => void; reject: (error: Error) => void }> = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as WatchedEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.match(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  child.stderr.resume();
  const exited = new Promise<number>((resolve) => child.on("close", (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ""] ?? 0))));
  void exited.then(() => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`slipway ${args.join(" ")} exited before the awaited event; events: ${JSON.stringify(events.slice(-5))}`));
  });
  return {
    child,
    events,
    exited,
    until: (match) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}

export const stepStarted = (step: string) => (event: WatchedEvent): boolean => event.event === "step" && event.step === step && event.status === "started";
