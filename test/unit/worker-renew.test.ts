/** The server renews certificates on its own schedule, beside the queue, and goes on when a renewal fails. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorker } from "../../src/server/worker.js";
import { apiHarness, type ApiHarness } from "../support/api.js";

let api: ApiHarness;
beforeEach(async () => {
  api = await apiHarness();
});
afterEach(() => api[Symbol.asyncDispose]());

describe("the worker's certificate renewal", () => {
  it("runs at start and then every renewMs, logs what it renewed or why it failed, and never twice at once", async () => {
    const lines: string[] = [];
    let calls = 0;
    let running = 0;
    let overlapped = false;
    const renew = async () => {
      calls++;
      running++;
      overlapped ||= running > 1;
      await new Promise((r) => setTimeout(r, 30));
      running--;
      if (calls === 2) throw new Error("the CA answered 503");
      return [
        { name: "shop-live", action: calls === 1 ? "renewed" : "not-due", message: "valid until 2027-03-01" },
        { name: "blog-live", action: "not-due", message: "due in 40 days" },
      ];
    };
    const worker = createWorker({ app: api.app, deadlineMs: 60_000, maxRunning: 1, pollMs: 10, renewMs: 60, renew, log: (line, fields) => lines.push(`${line} ${JSON.stringify(fields ?? {})}`) });
    await worker.start();
    await new Promise((r) => setTimeout(r, 400));
    await worker.stop(1000);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(overlapped).toBe(false);
    expect(lines).toContain('certificate shop-live renewed {"message":"valid until 2027-03-01"}');
    expect(lines.some((l) => l.startsWith("certificate blog-live"))).toBe(false);
    expect(lines).toContain('renewing certificates failed; it tries again at the next round {"error":"the CA answered 503"}');
  });
});
