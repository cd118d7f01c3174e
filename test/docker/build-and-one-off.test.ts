/**
 * `slipway build` on its own, then a deploy that reuses it without building; then one-off
 * commands against the live release: `run` in a fresh container with the environment's
 * variables, `exec` in a running one, and the errors a person meets first.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { BIN } from "../support/cli.js";
import { helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";

let repo: HelloRepo;
let tag: string;

interface JsonEvent {
  readonly event: string;
  readonly step?: string;
  readonly status?: string;
  readonly detail?: string;
  readonly kind?: string;
  readonly images?: readonly string[];
}

function eventsOf(stdout: string): JsonEvent[] {
  return stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as JsonEvent);
}

async function containerNames(): Promise<string[]> {
  const result = await runCommand("docker", ["ps", "-a", "--filter", `label=slipway.project=${repo.project}`, "--format", "{{.Names}}"]);
  return result.stdout.split("\n").filter(Boolean).sort();
}

beforeAll(async () => {
  repo = await helloRepo("build");
  tag = (await runCommand("git", ["-C", repo.dir, "rev-parse", "HEAD"])).stdout.trim().slice(0, 12);
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("before anything is live", () => {
  it.each(["run", "exec"])("%s says to deploy first, with exit 2", async (verb) => {
    const result = await repo.slipway([verb, "backend", "true"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/nothing is live in production: deploy it first \(slipway deploy --env production\)/);
  });
});

describe("slipway build", () => {
  it("builds and records the commit's images, and starts nothing", async () => {
    const result = await repo.slipway(["build", "--json"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const events = eventsOf(result.stdout);
    expect(events.find((e) => e.event === "queued")).toMatchObject({ kind: "build" });
    expect(events.filter((e) => e.event === "step" && e.status !== "started").map((e) => `${e.step}:${e.status}:${e.detail ?? ""}`)).toEqual([`source:succeeded:${tag}`, "build:succeeded:built"]);
    expect(events.at(-1)).toMatchObject({ event: "built", images: [`${repo.project}/frontend:${tag}`, `${repo.project}/backend:${tag}`] });
    const images = await runCommand("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=${repo.project}/*`]);
    expect(images.stdout.split("\n").filter(Boolean).sort()).toEqual([`${repo.project}/backend:${tag}`, `${repo.project}/frontend:${tag}`]);
    expect(await containerNames()).toEqual([]);
    const releases = await repo.slipway(["releases", "--json"]);
    expect(JSON.parse(releases.stdout)).toEqual([]);
  });

  it("is what deploy --build-mode reuse of the commit runs: no build, and it goes live", async () => {
    const result = await repo.slipway(["deploy", "--build-mode", "reuse", "--json"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const events = eventsOf(result.stdout);
    expect(events.find((e) => e.event === "step" && e.step === "build" && e.status !== "started")).toMatchObject({ status: "succeeded", detail: "image reused" });
    expect(events.some((e) => e.event === "log" && /Building|naming to/.test(JSON.stringify(e)))).toBe(false);
    expect(events.at(-1)).toMatchObject({ event: "live" });
    expect((await repo.get("/")).body.split("\n")[0]).toBe(`hello from ${tag}`);
  });
});

describe("slipway run", () => {
  const GREETING = "hello from the store, it's $HOME \"quoted\"";

  beforeAll(async () => {
    expect((await repo.slipway(["env", "set", `GREETING=${GREETING}`])).exitCode).toBe(0);
    const deployed = await repo.slipway(["deploy"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
  });

  it("prints a variable set with slipway env set, from inside a fresh container, and leaves none behind", async () => {
    const before = await containerNames();
    const result = await repo.slipway(["run", "backend", "--", "sh", "-c", 'printf "%s|%s" "$GREETING" "$(cat /app/VERSION)"']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${GREETING}|${tag}`);
    expect(await containerNames()).toEqual(before);
    // Its variables went to compose by name: no env file was written again.
    const releases = join(repo.env.SLIPWAY_HOME ?? "", "releases", repo.project, "production");
    expect(readdirSync(releases).flatMap((release) => readdirSync(join(releases, release))).filter((file) => file.endsWith(".env"))).toEqual([]);
  });

  it("exits with the command's own code", async () => {
    const result = await repo.slipway(["run", "backend", "sh", "-c", "echo to stderr >&2; exit 7"]);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain("to stderr");
  });

  it("reaches the environment's volumes and accessories", async () => {
    const result = await repo.slipway(["run", "backend", "sh", "-c", "cat /data/migrations.log >/dev/null && wget -q -O- http://db:5432/"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("ok");
  });

  it("gives the command a terminal when it has one, and none otherwise", async () => {
    expect((await repo.slipway(["run", "backend", "sh", "-c", "test -t 0 || echo no terminal"])).stdout.trim()).toBe("no terminal");
    // `script` gives the CLI a terminal of its own.
    const command = [process.execPath, BIN, "run", "backend", "sh", "-c", "test -t 0 && echo a terminal"].map((word) => `'${word}'`).join(" ");
    const env: Record<string, string> = Object.fromEntries(Object.entries({ ...process.env, ...repo.env }).filter((e): e is [string, string] => e[1] !== undefined));
    const result = await runCommand("script", ["-qec", command, "/dev/null"], { cwd: repo.dir, env, timeoutMs: 60_000 });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain("a terminal");
  });

  it("refuses an unknown service and an accessory, with exit 2", async () => {
    const unknown = await repo.slipway(["run", "nope", "true"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/v2 has no service nope; its services: frontend, backend, db, release/);
    const accessory = await repo.slipway(["run", "db", "true"]);
    expect(accessory.exitCode).toBe(2);
    expect(accessory.stderr).toMatch(/db is an accessory: .*: slipway exec db -- COMMAND/);
  });
});

describe("slipway exec", () => {
  it("runs in a live container of the release, with the variables it runs with", async () => {
    const result = await repo.slipway(["exec", "backend", "sh", "-c", 'printf "%s" "$GREETING"; exit 3']);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("hello from the store, it's $HOME \"quoted\"");
  });

  it("runs in an accessory's container", async () => {
    const result = await repo.slipway(["exec", "db", "cat", "/var/lib/db/index.html"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("ok");
  });

  it("refuses an unknown service with exit 2", async () => {
    const result = await repo.slipway(["exec", "nope", "true"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/has no service nope/);
  });
});

describe("retention", () => {
  it("keeps a build made on its own until its deploy, whatever deploys in between", async () => {
    const next = await repo.commit({ "slipway.yml": slipwayYml(repo.project, repo.port, "retain: 1\n") }, "retain 1");
    expect((await repo.slipway(["build"])).exitCode).toBe(0);
    // Another deploy in between prunes what retention does not keep.
    const between = await repo.slipway(["deploy", "--ref", tag]);
    expect(between.exitCode, between.stderr).toBe(0);
    expect(between.stderr).toMatch(/retention \(keep 1\)/);
    const result = await repo.slipway(["deploy", "--build-mode", "reuse"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/build: succeeded in [\d.]+s \(image reused\)/);
    expect((await repo.get("/")).body.split("\n")[0]).toBe(`hello from ${next}`);
  });
});
