/**
 * Build → Release → Switch against the real engine, with the example app: a load generator runs
 * through the router during every deploy, and no request may fail.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { connectDocker } from "../../src/adapters/docker-engine.js";
import { createRouter } from "../../src/router/router.js";
import { freePort, helloRepo, type HelloRepo } from "../support/hello-repo.js";
import { startLoad } from "../support/load.js";

let repo: HelloRepo;
let v1: string;

const routerInfo = () => createRouter({ docker: connectDocker, home: join(repo.env.SLIPWAY_HOME ?? "", "router"), containerName: repo.env.SLIPWAY_ROUTER_NAME ?? "" }).info();

async function runningReleases(): Promise<string[]> {
  const result = await runCommand("docker", ["ps", "--filter", "status=running", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.role=app", "--format", '{{.Label "slipway.release"}}']);
  return [...new Set(result.stdout.split("\n").filter(Boolean))].sort();
}

async function firstLine(path = "/"): Promise<string> {
  return (await repo.get(path)).body.split("\n")[0] ?? "";
}

function deploymentId(stdout: string): number {
  const match = /deployment (\d+)/.exec(stdout);
  if (!match) throw new Error(`no deployment id in: ${stdout.slice(0, 500)}`);
  return Number(match[1]);
}

/** Two runs' --json events: all the steps of one end before the first step of the other. */
function expectOneAfterTheOther(a: string, b: string): void {
  const spans = [a, b].map((stdout) => {
    const steps = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { at: string; event: string }).filter((e) => e.event === "step");
    return { start: steps[0]?.at ?? "", end: steps.at(-1)?.at ?? "" };
  });
  const [first, second] = spans.sort((x, y) => x.start.localeCompare(y.start));
  expect(first && second && first.end <= second.start).toBe(true);
}

function lastEvent(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

function read(file: string): string {
  return readFileSync(join(repo.dir, file), "utf8");
}

beforeAll(async () => {
  repo = await helloRepo("deploy");
  v1 = (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim().slice(0, 12);
  const first = await repo.slipway(["deploy"]);
  expect(first.stderr).toMatch(/v1 is live at http:\/\/127\.0\.0\.1:\d+\//);
  expect(first.exitCode).toBe(0);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("slipway deploy", () => {
  it("serves v1 through the router", async () => {
    expect(await firstLine()).toBe(`hello from ${v1}`);
    expect((await repo.get("/static/app.css")).body).toContain(v1);
    expect(await repo.readVolume("data", "migrations.log")).toContain(v1);
  });

  it("switches to v2 under load with zero failed requests and no router reload", async () => {
    const v2 = await repo.commit({ "backend/static/app.css": `${read("backend/static/app.css")}\n/* v2 */\n` }, "v2");
    const before = await routerInfo();
    const load = startLoad({ port: repo.port, connections: 30 });
    const result = await repo.slipway(["deploy", "--json"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(traffic.requests).toBeGreaterThan(100);
    expect(traffic).toMatchObject({ failed: 0, errors: 0, non2xx: 0 });
    expect(await firstLine()).toBe(`hello from ${v2}`);
    expect((await repo.get("/static/app.css")).body).toContain(v2);
    const migrations = await repo.readVolume("data", "migrations.log");
    expect(migrations.split("\n").filter((line) => line.includes(v2))).toHaveLength(1);
    const after = await routerInfo();
    expect(after.pid).toBe(before.pid);
    expect(after.uptimeSeconds).toBeGreaterThanOrEqual(before.uptimeSeconds);
    expect(await runningReleases()).toEqual(["v2"]);
    const events = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { event: string; step?: string; status?: string });
    expect(events.filter((e) => e.event === "step" && e.status === "succeeded").map((e) => e.step)).toEqual(["preflight", "source", "build", "release", "start", "verify", "switch", "retire"]);
  });
});

describe("slipway rollback", () => {
  it("returns to v1 under load with zero failed requests, without running the release task", async () => {
    const ranBefore = (await repo.readVolume("data", "migrations.log")).split("\n").filter(Boolean).length;
    const load = startLoad({ port: repo.port, connections: 30 });
    const result = await repo.slipway(["rollback"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/rolling back production to v1 \(\w+\), with the variables it ran with: the database is not rolled back/);
    expect(result.stderr).toMatch(/v3 \(rollback to v1\) is live/);
    // Kept paused (keep_previous: auto), or stopped when the freezer refused a busy container.
    expect(result.stderr).toMatch(/start \| (unpaused|started) the kept containers of v1( again)?: /);
    expect(traffic).toMatchObject({ failed: 0 });
    expect(traffic.requests).toBeGreaterThan(50);
    expect(await firstLine()).toBe(`hello from ${v1}`);
    expect((await repo.readVolume("data", "migrations.log")).split("\n").filter(Boolean)).toHaveLength(ranBefore);
    expect((await repo.slipway(["releases"])).stdout).toMatch(/^v3\s+\w+\s+\S+\s+rollback to v1\s/m);
  });

  it("runs the release task with --with-release, and refuses a release that never went live", async () => {
    const ranBefore = (await repo.readVolume("data", "migrations.log")).split("\n").filter(Boolean).length;
    const result = await repo.slipway(["rollback", "v2", "--with-release"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await repo.readVolume("data", "migrations.log")).split("\n").filter(Boolean)).toHaveLength(ranBefore + 1);
    expect(await firstLine()).not.toBe(`hello from ${v1}`);
    const refused = await repo.slipway(["rollback", "v99"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/production has no release v99: see slipway releases/);
    // --json ends with the error's code and hint, for a machine to act on.
    const json = await repo.slipway(["rollback", "v99", "--json"]);
    expect(json.exitCode).toBe(2);
    expect(lastEvent(json.stdout)).toMatchObject({ event: "failed", code: "E_NOT_FOUND", hint: { action: "list-releases" } });
  });
});

describe("a failed deployment leaves the live release serving", () => {
  let live: string;
  let base: string;
  let newPort: number;

  beforeAll(async () => {
    base = (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim();
    live = (await firstLine()).replace("hello from ", "");
    newPort = await freePort();
  });

  const cases: Array<{ name: string; files: () => Record<string, string>; env?: Record<string, string>; error: RegExp; step: string; log?: RegExp }> = [
    {
      name: "a release task that exits 1",
      files: () => ({ "backend/static/app.css": `${read("backend/static/app.css")}\n/* release fails */\n` }),
      env: { RELEASE_EXIT_CODE: "1" },
      error: /the release task release exited with 1/,
      step: "release",
    },
    {
      // The live route keeps its port until a switch: the load on the old one sees no failure.
      name: "a new port for the route, and a release task that exits 1",
      files: () => ({ "backend/static/app.css": `${read("backend/static/app.css")}\n/* new port */\n`, "slipway.yml": read("slipway.yml").replace(`listen: ${repo.port}`, `listen: ${newPort}`) }),
      env: { RELEASE_EXIT_CODE: "1" },
      error: /the release task release exited with 1/,
      step: "release",
    },
    {
      name: "a build that fails",
      files: () => ({ "backend/Dockerfile": `${read("backend/Dockerfile")}\nRUN false\n` }),
      error: /the build failed/,
      step: "build",
    },
    {
      name: "a routed service that never becomes healthy",
      files: () => ({
        "frontend/Caddyfile": read("frontend/Caddyfile").replace('respond "ok" 200', 'respond "down" 503'),
        "slipway.yml": read("slipway.yml").replace("deadline: 30s", "deadline: 6s"),
      }),
      error: /frontend .* is not ready: not ready within \d+ s \(last probe: GET \/frontend-healthz answered 503\)/,
      step: "verify",
    },
    {
      name: "a container that crash-loops",
      files: () => ({ "backend/start.sh": "#!/bin/sh\necho 'cannot connect to the database' >&2\nexit 3\n" }),
      error: /backend: the container (is restarting|exited with code 3)/,
      step: "verify",
      log: /cannot connect to the database/,
    },
  ];

  it.each(cases)("$name: exit 1, recorded failed with its log, 0 failed requests, nothing left running", async (c) => {
    await runCommand("git", ["-C", repo.dir, "reset", "-q", "--hard", base]);
    await repo.commit(c.files(), c.name);
    const load = startLoad({ port: repo.port, connections: 30 });
    const result = await repo.slipway(["deploy"], c.env ?? {});
    const traffic = await load.stop();
    expect(result.stderr).toMatch(c.error);
    expect(result.exitCode).toBe(1);
    expect(traffic.requests).toBeGreaterThan(20);
    expect(traffic).toMatchObject({ failed: 0 });
    expect(await firstLine()).toBe(`hello from ${live}`);
    expect(await runningReleases()).toEqual([await liveRelease()]);
    const id = deploymentId(result.stderr);
    const logs = await repo.slipway(["logs", "--deployment", String(id)]);
    expect(logs.stdout).toMatch(new RegExp(`^${c.step} \\| failed: `, "m"));
    if (c.log) expect(logs.stdout).toMatch(c.log);
    const releases = JSON.parse((await repo.slipway(["releases", "--json"])).stdout) as Array<{ status: string; deployment?: { id: number; status: string } }>;
    expect(releases.find((r) => r.deployment?.id === id)?.status ?? "no release").toMatch(/failed|no release/);
  });
});

/** The live release's compose name (after a fast rollback, the release it restarted). */
async function liveRelease(): Promise<string> {
  const releases = JSON.parse((await repo.slipway(["releases", "--json"])).stdout) as Array<{ number: number; status: string; config?: { runsAs?: string } }>;
  const live = releases.find((r) => r.status === "live");
  return live?.config?.runsAs ?? `v${live?.number ?? 0}`;
}

describe("deploying again", () => {
  let base: string;
  beforeAll(async () => {
    base = (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim();
    // Back to the last good commit (the failure cases left failing commits on top).
    const good = JSON.parse((await repo.slipway(["releases", "--json"])).stdout) as Array<{ status: string; commit: string }>;
    const commit = good.find((r) => r.status === "live")?.commit ?? base;
    await runCommand("git", ["-C", repo.dir, "reset", "-q", "--hard", commit]);
  });

  it("missing variables: exit 2, nothing built, started or changed", async () => {
    const images = async (): Promise<string[]> => (await runCommand("docker", ["images", "-q", "--filter", `reference=${repo.project}/*`])).stdout.split("\n").filter(Boolean).sort();
    const before = { releases: (await repo.slipway(["releases", "--json"])).stdout, images: await images() };
    const compose = read("docker-compose.prod.yml").replace("RELEASE_EXIT_CODE: ${RELEASE_EXIT_CODE:-0}", "RELEASE_EXIT_CODE: ${RELEASE_EXIT_CODE:-0}\n      API_TOKEN: ${API_TOKEN}\n      MAIL_PASSWORD: ${MAIL_PASSWORD:?ask ops for it}");
    await repo.commit({ "docker-compose.prod.yml": compose }, "needs variables");
    try {
      const result = await repo.slipway(["deploy"], { API_TOKEN: undefined, MAIL_PASSWORD: undefined });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/docker-compose\.prod\.yml:\d+:\d+: variable API_TOKEN is not set/);
      expect(result.stderr).toMatch(/docker-compose\.prod\.yml:\d+:\d+: variable MAIL_PASSWORD is not set: ask ops for it/);
      expect((await repo.slipway(["releases", "--json"])).stdout).toBe(before.releases);
      expect(await images()).toEqual(before.images);
    } finally {
      await runCommand("git", ["-C", repo.dir, "reset", "-q", "--hard", "HEAD~1"]);
    }
  });

  it("a dirty working tree: refused (exit 2) unless --allow-dirty, which tags the build -dirty", async () => {
    const css = read("backend/static/app.css");
    writeFileSync(join(repo.dir, "backend/static/app.css"), `${css}\n/* uncommitted */\n`);
    try {
      const refused = await repo.slipway(["deploy"]);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/the working tree has uncommitted changes: commit them, or deploy them anyway with --allow-dirty/);
      const dirty = await repo.slipway(["deploy", "--allow-dirty"]);
      expect(dirty.exitCode, dirty.stderr).toBe(0);
      expect(await firstLine()).toMatch(/^hello from [0-9a-f]{12}-dirty-[0-9a-f]{7}$/);
      expect((await repo.get("/static/app.css")).body).toContain("uncommitted");
    } finally {
      writeFileSync(join(repo.dir, "backend/static/app.css"), css);
    }
  });

  it("the same commit again: no build (the image is reused), still a new release", async () => {
    const before = await liveRelease();
    const result = await repo.slipway(["deploy", "--json"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const build = result.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { event: string; step?: string; status?: string; detail?: string }).find((e) => e.event === "step" && e.step === "build" && e.status !== "started");
    expect(build, result.stdout.split("\n").filter((l) => l.includes('"build"')).slice(0, 5).join("\n")).toMatchObject({ status: "succeeded", detail: "image reused" });
    expect(await liveRelease()).not.toBe(before);
  });

  it("a request in flight at the switch is finished by the old release before it is stopped", async () => {
    const before = await liveRelease();
    const old = (await repo.get("/version")).body.trim();
    const began = Date.now();
    const slow = fetch(`http://127.0.0.1:${repo.port}/slow?12`).then(async (r) => ({ status: r.status, body: await r.text(), at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await repo.slipway(["deploy"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(`slow hello from ${old}\n`);
    expect(answer.at - began).toBeGreaterThanOrEqual(12_000);
    expect(result.stderr).toMatch(/still busy after the drain period \(1 s\): waiting for their last requests/);
    expect(await liveRelease()).not.toBe(before);
  });

  it("two deploys at once run one after the other; with --no-wait the second exits 3", async () => {
    const [a, b] = await Promise.all([repo.slipway(["deploy", "--json"]), repo.slipway(["deploy", "--json"])]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expectOneAfterTheOther(a.stdout, b.stdout);
    const waited = [a, b].some((r) => r.stdout.includes("waiting: the environment is locked by deployment"));
    expect(waited).toBe(true);

    const slow = repo.slipway(["deploy"]);
    await new Promise((ok) => setTimeout(ok, 1500));
    const refused = await repo.slipway(["deploy", "--no-wait"]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/the environment is locked by deployment \d+ by tester/);
    const json = await repo.slipway(["deploy", "--no-wait", "--json"]);
    expect(json.exitCode).toBe(3);
    expect(lastEvent(json.stdout)).toMatchObject({ event: "failed", code: "E_LOCKED", hint: { action: "wait-for-lock" }, deploymentId: expect.any(Number) as number });
    expect((await slow).exitCode).toBe(0);
  });

  it("a rollback and a deploy racing on one environment run one after the other", async () => {
    const [a, b] = await Promise.all([repo.slipway(["rollback", "--json"]), repo.slipway(["deploy", "--json"])]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expectOneAfterTheOther(a.stdout, b.stdout);
  });

  it("a router removed by hand is recreated by the next deploy, with its route", async () => {
    await runCommand("docker", ["rm", "-f", repo.env.SLIPWAY_ROUTER_NAME ?? ""]);
    await expect(repo.get("/")).rejects.toThrow();
    const status = await repo.slipway(["status"]);
    expect(status.stdout).toMatch(/drift:\n\s+the router does not answer/);
    expect(status.exitCode).toBe(1);
    const result = await repo.slipway(["deploy"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/router: created the router/);
    expect((await repo.get("/")).status).toBe(200);
    const healthy = await repo.slipway(["status"]);
    expect(healthy.stdout).toMatch(/drift: none/);
    expect(healthy.exitCode).toBe(0);
  });
});

describe("keep_previous: running", () => {
  it("keeps the previous release running out of the router; a rollback starts nothing, under load with zero failed requests", async () => {
    const yml = readFileSync(join(repo.dir, "slipway.yml"), "utf8");
    await repo.commit({ "slipway.yml": `${yml}\nkeep_previous: running\n` }, "keep the previous release running");
    expect((await repo.slipway(["deploy"])).exitCode).toBe(0);
    const previous = await liveRelease();
    const newer = await repo.commit({ "backend/static/app.css": "/* kept running */\n" }, "another release");
    const deployed = await repo.slipway(["deploy"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.stderr).toMatch(new RegExp(`kept ${previous} for rollback in \\d+ ms: left running backend, frontend`));
    const live = await liveRelease();
    expect(await runningReleases()).toEqual([live, previous].sort());
    expect(await firstLine()).toBe(`hello from ${newer}`);
    const healthy = await repo.slipway(["status"]);
    expect(healthy.stdout).toMatch(/drift: none/);
    expect(healthy.exitCode).toBe(0);

    const load = startLoad({ port: repo.port, connections: 30 });
    const result = await repo.slipway(["rollback"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`start \\| the kept containers of ${previous} were running`));
    expect(traffic).toMatchObject({ failed: 0 });
    expect(await firstLine()).not.toBe(`hello from ${newer}`);
    // The release it left is the one now kept running.
    expect(await runningReleases()).toEqual([live, previous].sort());
  });
});

describe("keep_previous: paused", () => {
  /** docker's own State of each of a release's app containers (running, paused, exited, …). */
  async function states(release: string): Promise<string[]> {
    const filters = ["label=slipway.role=app", `label=slipway.project=${repo.project}`, `label=slipway.release=${release}`].flatMap((f) => ["--filter", f]);
    const result = await runCommand("docker", ["ps", "--all", ...filters, "--format", "{{.State}}"]);
    return result.stdout.split("\n").filter(Boolean);
  }

  it("freezes the previous release; a rollback, named by the release it runs as, thaws it under load with zero failed requests", async () => {
    const yml = read("slipway.yml").replace(/\nkeep_previous: \w+\n/, "\n");
    const leaving = await liveRelease();
    const newer = await repo.commit({ "slipway.yml": `${yml}\nkeep_previous: paused\n`, "backend/static/app.css": "/* kept paused */\n" }, "keep the previous release paused");
    const deployed = await repo.slipway(["deploy"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.stderr).toMatch(new RegExp(`retire \\| kept ${leaving} for rollback in \\d+ ms: paused backend, frontend\n`));
    const live = await liveRelease();
    expect(await states(leaving)).toEqual(["paused", "paused"]);
    expect(await states(live)).toEqual(["running", "running"]);
    const healthy = await repo.slipway(["status"]);
    expect(healthy.stdout).toMatch(/drift: none/);
    expect(healthy.exitCode).toBe(0);

    // The kept release may itself be a rollback (v7 running as v5): asking for v5 finds it too.
    const load = startLoad({ port: repo.port, connections: 30 });
    const result = await repo.slipway(["rollback", leaving]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`start \\| unpaused the kept containers of ${leaving}: `));
    expect(traffic).toMatchObject({ failed: 0 });
    expect(traffic.requests).toBeGreaterThan(50);
    expect(await firstLine()).not.toBe(`hello from ${newer}`);
    expect(await states(leaving)).toEqual(["running", "running"]);
    expect(await states(live)).toEqual(["paused", "paused"]);
    // And forward again: the release just left is thawed the same way.
    const forward = await repo.slipway(["rollback"]);
    expect(forward.exitCode, forward.stderr).toBe(0);
    expect(forward.stderr).toMatch(new RegExp(`start \\| unpaused the kept containers of ${live}: `));
    expect(await firstLine()).toBe(`hello from ${newer}`);
  });
});
