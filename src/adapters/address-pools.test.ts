/** Docker's message when its address pools run out, as dockerd and compose print it. */
import { describe, expect, it } from "vitest";
import { addressPoolsExhausted } from "./address-pools.js";

describe("addressPoolsExhausted", () => {
  it.each([
    { name: "dockerd, through the API", text: "(HTTP code 404) driver not found - could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network", exhausted: true },
    { name: "compose up", text: " Network shop-production-v3_default  Error\nfailed to create network shop-production-v3_default: Error response from daemon: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network", exhausted: true },
    { name: "another network error", text: "Error response from daemon: network with name shop already exists", exhausted: false },
  ])("$name", ({ text, exhausted }) => {
    expect(addressPoolsExhausted(text)).toBe(exhausted);
  });
});
