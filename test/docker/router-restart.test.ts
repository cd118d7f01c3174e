/**
 * The router survives its own restart: `docker restart` of the router under load (30 keep-alive
 * clients that never retry), and the app answers the live commit again as soon as HAProxy is up,
 * with no Slipway command, from the servers in the file it starts with. Then the modes of what
 * a deploy leaves under SLIPWAY_HOME.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { report } from "../support/report.js";
import { freeListenPort, helloRepo, type HelloRepo } from "../support/hello-repo.js";
import { startRequestLoad } from "../support/load.js";

let repo: HelloRepo;
let live: string;

async function docker(args: string[]): Promise<string> {
  const result = await runCommand("docker", args);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** Polls until the router answers with the live commit; resolves with when it did. */
async function answersLive(timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await repo.get("/").catch(() => undefined);
    if (reply?.status === 200 && reply.body.startsWith(`hello from ${live}`)) return Date.now();
    if (Date.now() > deadline) throw new Error(`the app did not answer ${live} within ${timeoutMs} ms (last: ${reply?.status ?? "no answer"})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  // A listen port outside the kernel's ephemeral range (see freeListenPort).
  repo = await helloRepo("router-restart", { port: await freeListenPort() });
  const deployed = await repo.slipway(["deploy"]);
  expect(deployed.exitCode, deployed.stderr).toBe(0);
  live = (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim().slice(0, 12);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("docker restart of the router under load", () => {
  it("answers the live commit again within 5 s, and loses no request in flight", async () => {
    const router = repo.env.SLIPWAY_ROUTER_NAME ?? "";
    const startedBefore = await docker(["inspect", "--format", "{{.State.StartedAt}}", router]);
    const load = startRequestLoad({ port: repo.port, connections: 30 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restarting = Date.now();
    await docker(["restart", router]);
    const restarted = Date.now();
    const answered = await answersLive(5000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const traffic = await load.stop();

    report(
      `router restart: ${traffic.lostInFlight} request(s) lost in flight, ${Object.values(traffic.statuses).reduce((a, b) => a + b, 0)} error answer(s) ${JSON.stringify(traffic.statuses)}, ` +
        `${traffic.refused} connection(s) refused while no HAProxy listened (docker restart took ${restarted - restarting} ms; the app answered ${answered - restarting} ms after it began), ${traffic.ok} ok`,
    );
    expect(await docker(["inspect", "--format", "{{.State.StartedAt}}", router])).not.toBe(startedBefore);
    expect(answered - restarting).toBeLessThanOrEqual(5000);
    // The backend was never empty: not one 503 (the fault: 503 until the next deploy).
    expect(traffic.statuses).toEqual({});
    // HAProxy's soft stop lets the requests in flight finish; at most one per client is lost.
    expect(traffic.lostInFlight).toBeLessThanOrEqual(30);
    // It served after the restart, as before it.
    expect(traffic.lastFailureAt).toBeLessThan(answered + 1);
    expect(traffic.ok).toBeGreaterThan(100);
    expect((await repo.get("/")).body.startsWith(`hello from ${live}`)).toBe(true);
  });
});

/** Every entry under a directory, with its mode and kind. */
function entriesUnder(dir: string): Array<{ path: string; mode: number; kind: "dir" | "file" | "socket" | "other" }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    const mode = statSync(path).mode & 0o777;
    if (entry.isDirectory()) return [{ path, mode, kind: "dir" as const }, ...entriesUnder(path)];
    return [{ path, mode, kind: entry.isFile() ? ("file" as const) : entry.isSocket() ? ("socket" as const) : ("other" as const) }];
  });
}

describe("files under SLIPWAY_HOME after a deploy", () => {
  it("are the owner's alone: directories 0700, files 0600; an exported tree keeps the commit's modes inside a 0700 directory", () => {
    const home = repo.env.SLIPWAY_HOME ?? "";
    const all = entriesUnder(home);
    const shown = all.map((e) => `${e.mode.toString(8)} ${e.kind} ${relative(home, e.path)}`);
    report(`modes under SLIPWAY_HOME:\n  ${shown.join("\n  ")}`);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const trees = all.filter((e) => e.kind === "dir" && /^builds\/[^/]+\/[^/]+$/.test(relative(home, e.path))).map((e) => e.path);
    expect(trees).toHaveLength(1);
    const inTree = (path: string): boolean => trees.some((tree) => path.startsWith(`${tree}/`));
    const state = all.filter((e) => !inTree(e.path));
    for (const name of ["slipway.db", "master.key", "router/routes.json", "router/etc/haproxy.cfg", "router/run/admin.sock"]) {
      expect(state.some((e) => relative(home, e.path) === name), name).toBe(true);
    }
    const wrong = state.filter((e) => e.mode !== (e.kind === "dir" ? 0o700 : 0o600)).map((e) => `${e.mode.toString(8)} ${relative(home, e.path)}`);
    expect(wrong).toEqual([]);
    // Inside the tree, files keep the modes git archive gives them (a build copies them into the image).
    expect(all.some((e) => inTree(e.path) && e.kind === "file" && (e.mode & 0o111) !== 0)).toBe(true);
  });
});
