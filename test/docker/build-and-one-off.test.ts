/**
 * `slipway build` on its own, then a deploy that reuses it without building; then one-off
 * commands against the live release: `run` in a fresh container with the environment's
 * variables, `exec` in a running one, and the errors a person meets first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { helloRepo, type HelloRepo } from "../support/hello-repo.js";

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
