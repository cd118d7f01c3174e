import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadinessPolicy } from "../plan/classify.js";
import type { Clock } from "../core/clock.js";
import { httpProbe, NotReadyError, tcpProbe, waitReady, type Probe } from "./readiness.js";

/** A clock whose sleeps return at once and only move time forward. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: (ms) => ((now += ms), slept.push(ms), Promise.resolve()) };
}

const policy = (passes: number, deadlineMs = 10_000): ReadinessPolicy => ({ probe: { type: "tcp" }, intervalMs: 1000, timeoutMs: 500, passes, deadlineMs });

const scripted = (answers: Array<string | undefined>): Probe => {
  let i = 0;
  return () => Promise.resolve(answers[Math.min(i++, answers.length - 1)]);
};

describe("waitReady", () => {
  it.each([
    { name: "passes at once", answers: [undefined, undefined], passes: 2, sleeps: 1 },
    { name: "a failure resets the streak", answers: [undefined, "down", undefined, undefined], passes: 2, sleeps: 3 },
    { name: "one pass is enough when one is asked", answers: ["down", undefined], passes: 1, sleeps: 1 },
  ])("$name", async ({ answers, passes, sleeps }) => {
    const clock = fakeClock();
    await waitReady({ probe: scripted(answers), policy: policy(passes), clock });
    expect(clock.slept).toHaveLength(sleeps);
  });

  it("gives up at the deadline with the last failure", async () => {
    const clock = fakeClock();
    const error = await waitReady({ probe: scripted(["GET / answered 503"]), policy: policy(2, 5000), clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).message).toBe("not ready within 5 s (last probe: GET / answered 503)");
    expect(clock.now()).toBeLessThanOrEqual(5000);
  });

  it("fails at once when the container crashed", async () => {
    const clock = fakeClock();
    const error = await waitReady({ probe: scripted([undefined]), policy: policy(3), clock, fatal: () => Promise.resolve("the container exited with code 1") }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("the container exited with code 1");
    expect(clock.slept).toEqual([]);
  });
});

describe("probes against a real throwaway server", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === "/healthz" ? 200 : req.url === "/redirect" ? 302 : 503;
      res.end("x");
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const address = server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it.each([
    { path: "/healthz", expected: undefined },
    { path: "/redirect", expected: undefined },
    { path: "/down", expected: "GET /down answered 503" },
  ])("HTTP $path", async ({ path, expected }) => {
    expect(await httpProbe(port, path, 1000)()).toBe(expected);
  });

  it("TCP connects, and reports a closed port", async () => {
    expect(await tcpProbe(port, 1000)()).toBeUndefined();
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const address = closed.address();
    const closedPort = typeof address === "object" && address ? address.port : 0;
    await new Promise<void>((ok) => closed.close(() => ok()));
    expect(await tcpProbe(closedPort, 1000)()).toMatch(/^TCP connect: .*ECONNREFUSED/);
  });
});
