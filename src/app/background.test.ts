/** Background work: waited for up to a bound, then stopped through its signal; a failing task is dropped, never thrown. */
import { describe, expect, it } from "vitest";
import { runInBackground, settleBackground, sleepUnlessAborted } from "./background.js";

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("background work", () => {
  it("is waited for, including what it starts meanwhile", async () => {
    const owner = {};
    const done: string[] = [];
    runInBackground(owner, async () => {
      await realSleep(20);
      done.push("first");
      runInBackground(owner, async () => {
        await realSleep(20);
        done.push("second");
      });
    });
    expect(await settleBackground(owner, 5000)).toBe(true);
    expect(done).toEqual(["first", "second"]);
  });

  it("past the bound, is aborted and waited for until it stopped", async () => {
    const owner = {};
    let stopped = false;
    runInBackground(owner, async (signal) => {
      await sleepUnlessAborted(realSleep, 60_000, signal).catch(() => (stopped = true));
    });
    const began = Date.now();
    expect(await settleBackground(owner, 50)).toBe(false);
    expect(stopped).toBe(true);
    expect(Date.now() - began).toBeLessThan(5000);
  });

  it("that fails is dropped: the caller never sees its error", async () => {
    const owner = {};
    runInBackground(owner, () => Promise.reject(new Error("boom")));
    runInBackground(owner, () => {
      throw new Error("sync boom");
    });
    expect(await settleBackground(owner, 1000)).toBe(true);
    expect(await settleBackground({}, 1000)).toBe(true);
  });
});
