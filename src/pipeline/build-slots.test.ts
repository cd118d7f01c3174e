/** The build limit: at most `limit` at once, the rest in order, a cancelled waiter gone from the line. */
import { describe, expect, it } from "vitest";
import { buildSlots } from "./build-slots.js";

describe("buildSlots", () => {
  it("lets `limit` builds run and the next wait for a free slot, in order", async () => {
    const slots = buildSlots(1);
    const first = await slots.acquire();
    const order: string[] = [];
    const second = slots.acquire().then((s) => (order.push("second"), s));
    const third = slots.acquire().then((s) => (order.push("third"), s));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect(slots.busy).toBe(1);
    first[Symbol.dispose]();
    first[Symbol.dispose]();
    (await second)[Symbol.dispose]();
    (await third)[Symbol.dispose]();
    expect(order).toEqual(["second", "third"]);
    expect(slots.busy).toBe(0);
  });

  it("takes a cancelled waiter out of the line with its signal's reason", async () => {
    const slots = buildSlots(1);
    const held = await slots.acquire();
    const controller = new AbortController();
    const cancelled = slots.acquire(controller.signal);
    const after = slots.acquire();
    controller.abort(new Error("cancelled"));
    await expect(cancelled).rejects.toThrow("cancelled");
    held[Symbol.dispose]();
    (await after)[Symbol.dispose]();
    expect(slots.busy).toBe(0);
  });

  it("refuses a limit below one", () => {
    expect(() => buildSlots(0)).toThrow(RangeError);
  });
});
