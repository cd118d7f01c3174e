/**
 * Readiness as small strategies behind one interface (HTTP path, the image's HEALTHCHECK, TCP
 * connect), and one loop that wants N consecutive passes within a deadline.
 */
import { request } from "node:http";
import { connect } from "node:net";
import type { ReadinessPolicy } from "../plan/classify.js";
import type { Clock } from "../core/clock.js";

/** One probe: undefined when it passes, else why it did not. */
export type Probe = () => Promise<string | undefined>;

export function httpProbe(port: number, path: string, timeoutMs: number): Probe {
  return () =>
    new Promise((resolve) => {
      const req = request({ host: "127.0.0.1", port, path, method: "GET", timeout: timeoutMs, agent: false }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400 ? undefined : `GET ${path} answered ${status}`);
      });
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (error) => resolve(`GET ${path}: ${error.message}`));
      req.end();
    });
}

export function tcpProbe(port: number, timeoutMs: number): Probe {
  return () =>
    new Promise((resolve) => {
      const socket = connect({ host: "127.0.0.1", port, timeout: timeoutMs });
      socket.on("connect", () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on("timeout", () => {
        socket.destroy();
        resolve(`TCP connect: no answer within ${timeoutMs} ms`);
      });
      socket.on("error", (error) => resolve(`TCP connect: ${error.message}`));
    });
}

/**
 * The image's HEALTHCHECK, run now through exec rather than read from Docker's status, which
 * lags by an interval after a start and stays what it was through a pause (see healthcheck-exec.ts).
 */
export function healthProbe(runHealthcheck: (timeoutMs: number) => Promise<string | undefined>, timeoutMs: number): Probe {
  return () => runHealthcheck(timeoutMs);
}

/** The probe a route's policy asks for, on the container's published port. */
export function probeFor(policy: ReadinessPolicy, hostPort: number | undefined, runHealthcheck: (timeoutMs: number) => Promise<string | undefined>): Probe {
  const { probe, timeoutMs } = policy;
  if (probe.type === "docker") return healthProbe(runHealthcheck, timeoutMs);
  if (hostPort === undefined) return () => Promise.resolve("the routed port is not published");
  return probe.type === "http" ? httpProbe(hostPort, probe.path, timeoutMs) : tcpProbe(hostPort, timeoutMs);
}

export class NotReadyError extends Error {
  constructor(
    message: string,
    readonly lastFailure: string | undefined,
  ) {
    super(message);
    this.name = "NotReadyError";
  }
}

/**
 * Probes until `passes` consecutive passes, or throws NotReadyError at the deadline. `fatal`
 * is asked before each probe: a container that exited or restarts fails at once.
 */
export async function waitReady(options: { probe: Probe; policy: ReadinessPolicy; clock: Clock; fatal?: () => Promise<string | undefined> }): Promise<number> {
  const { probe, policy, clock } = options;
  const start = clock.now();
  let streak = 0;
  let last: string | undefined;
  for (;;) {
    const fatal = await options.fatal?.();
    if (fatal) throw new NotReadyError(fatal, last);
    const failure = await probe();
    streak = failure === undefined ? streak + 1 : 0;
    last = failure ?? last;
    if (streak >= policy.passes) return clock.now() - start;
    if (clock.now() - start + policy.intervalMs > policy.deadlineMs) {
      throw new NotReadyError(`not ready within ${Math.round(policy.deadlineMs / 1000)} s${last ? ` (last probe: ${last})` : ""}`, last);
    }
    await clock.sleep(policy.intervalMs);
  }
}
