/** `slipway serve`'s options: what each flag gives the server, and what it refuses. */
import { describe, expect, it } from "vitest";
import { isLoopback, parseListen, serveCommand, type ServeOptions } from "./main.js";

async function parse(args: string[]): Promise<ServeOptions> {
  let seen: ServeOptions | undefined;
  await serveCommand(async (options) => {
    seen = options;
    await Promise.resolve();
  })
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .parseAsync(args, { from: "user" });
  if (!seen) throw new Error("no action");
  return seen;
}

describe("slipway serve options", () => {
  it("defaults to loopback, one build at a time, a 30 minute deadline and a 5 minute grace", async () => {
    expect(await parse([])).toEqual({ listen: { host: "127.0.0.1", port: 8420 }, buildLimit: 1, deadline: 30 * 60_000, grace: 5 * 60_000, maxDeployments: 8, worker: true });
  });

  it("takes every flag", async () => {
    expect(await parse(["--listen", "[::1]:9000", "--build-limit", "3", "--deadline", "90s", "--grace", "2m", "--max-deployments", "2", "--no-worker"])).toEqual({
      listen: { host: "::1", port: 9000 },
      buildLimit: 3,
      deadline: 90_000,
      grace: 120_000,
      maxDeployments: 2,
      worker: false,
    });
  });

  it.each([["--listen", "8420"], ["--listen", "host:99999"], ["--build-limit", "0"], ["--deadline", "soon"]])("refuses %s %s", async (flag, value) => {
    await expect(parse([flag, value])).rejects.toMatchObject({ code: "commander.invalidArgument" });
  });

  it.each([
    { host: "127.0.0.1", loopback: true },
    { host: "127.1.2.3", loopback: true },
    { host: "::1", loopback: true },
    { host: "localhost", loopback: true },
    { host: "0.0.0.0", loopback: false },
    { host: "192.0.2.10", loopback: false },
  ])("$host is loopback: $loopback", ({ host, loopback }) => {
    expect(isLoopback(host)).toBe(loopback);
    expect(parseListen(`${host.includes(":") ? `[${host}]` : host}:1`).host).toBe(host);
  });
});
