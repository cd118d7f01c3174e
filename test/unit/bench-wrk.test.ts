/** bench/router's reading of wrk's summary: requests, rate, p99 in ms, and every failure counted. */
import { describe, expect, it } from "vitest";
import { parseWrk } from "../../bench/wrk.js";

const clean = `Running 4s test @ http://127.0.0.1:18999/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.80ms    4.32ms 101.49ms   98.44%
    Req/Sec    35.22k    12.10k   55.36k    70.00%
  Latency Distribution
     50%    1.12ms
     75%    1.90ms
     90%    2.33ms
     99%    8.93ms
  140260 requests in 4.01s, 16.72MB read
Requests/sec:  34973.47
Transfer/sec:      4.17MB
`;

describe("parseWrk", () => {
  it("reads the request count, the rate and the 99th percentile of a clean run", () => {
    expect(parseWrk(clean)).toEqual({ requests: 140260, rps: 34973.47, p99Ms: 8.93, failed: 0 });
  });

  it("counts socket errors of every kind and non-2xx answers as failed, and converts µs and s", () => {
    const failing = clean
      .replace("99%    8.93ms", "99%  812.00us")
      .replace("Requests/sec:", "  Socket errors: connect 1, read 2, write 3, timeout 4\n  Non-2xx or 3xx responses: 5\nRequests/sec:");
    expect(parseWrk(failing)).toMatchObject({ p99Ms: 0.812, failed: 15 });
    expect(parseWrk(clean.replace("99%    8.93ms", "99%    1.50s")).p99Ms).toBe(1500);
  });

  it("refuses a summary without the latency distribution rather than report a p99 of 0", () => {
    expect(() => parseWrk(clean.replace(/ {5}99%.*\n/, ""))).toThrow(/--latency/);
  });
});
