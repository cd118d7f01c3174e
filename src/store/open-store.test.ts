import { describe, expect, it } from "vitest";
import { retryWhileBusy } from "./open-store.js";

const busy = (): Error => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

describe("retryWhileBusy", () => {
  it("tries again while SQLite answers SQLITE_BUSY, then returns the answer", () => {
    let calls = 0;
    const answer = retryWhileBusy(() => {
      calls++;
      if (calls < 3) throw busy();
      return "wal";
    }, 5_000);
    expect(answer).toBe("wal");
    expect(calls).toBe(3);
  });

  it("gives up with SQLite's error once the time is over", () => {
    const started = Date.now();
    expect(() =>
      retryWhileBusy(() => {
        throw busy();
      }, 60),
    ).toThrow("database is locked");
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it("does not retry any other error", () => {
    let calls = 0;
    expect(() =>
      retryWhileBusy(() => {
        calls++;
        throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" });
      }, 5_000),
    ).toThrow("disk I/O error");
    expect(calls).toBe(1);
  });
});
