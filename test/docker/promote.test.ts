/**
 * Test → Live: the build staging runs goes to production with production's own variables,
 * volumes and route, never rebuilt (identical image ids); --build-mode reuse and force.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { freePort, helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";

let repo: HelloRepo;
let stagingPort: number;

async function imageIds(environment: string): Promise<string[]> {
  const ps = await runCommand("docker", ["ps", "-q", "--filter", "status=running", "--filter", `label=slipway.project=${repo.project}`, "--filter", `label=slipway.environment=${environment}`, "--filter", "label=slipway.role=app"]);
  const ids = ps.stdout.split("\n").filter(Boolean);
  const images = await runCommand("docker", ["inspect", "--format", '{{index .Config.Labels "slipway.service"}}={{.Image}}', ...ids]);
  return images.stdout.split("\n").filter(Boolean).sort();
}

async function get(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/`)).text();
}

function events(stdout: string): Array<{ event: string; step?: string; status?: string; detail?: string }> {
  return stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { event: string; step?: string; status?: string; detail?: string });
}

beforeAll(async () => {
  repo = await helloRepo("promote");
  stagingPort = await freePort();
  const environments = `environments:\n  production: { default: true }\n  staging: { listen: ${stagingPort} }\n`;
  await repo.commit({ "slipway.yml": slipwayYml(repo.project, repo.port, environments) }, "two environments");
  const staged = await repo.slipway(["deploy", "--env", "staging"], { GREETING: "hello staging" });
  expect(staged.exitCode, staged.stderr).toBe(0);
});

afterAll(async () => {
  await repo?.slipway(["down", "--env", "staging", "--volumes"]);
  await repo?.[Symbol.asyncDispose]();
});

describe("slipway promote", () => {
  it("deploys staging's build to production without building, with production's variables", async () => {
    const result = await repo.slipway(["promote", "staging", "production", "--json"], { GREETING: "hello production" });
    expect(result.exitCode, result.stderr).toBe(0);
    const steps = events(result.stdout).filter((e) => e.event === "step" && e.status !== "started");
    expect(steps.filter((e) => e.step === "source" || e.step === "build").map((e) => e.status)).toEqual(["skipped", "skipped"]);
    expect(steps.find((e) => e.step === "release")?.status).toBe("succeeded");
    expect(await imageIds("production")).toEqual(await imageIds("staging"));
    expect(await get(repo.port)).toContain("greeting: hello production");
    expect(await get(stagingPort)).toContain("greeting: hello staging");
    expect((await repo.slipway(["releases"])).stdout).toMatch(/^v1\s+\w+\s+\S+\s+promotion of staging v1\s/m);
  });

  it("--build-mode reuse re-uses the build of the same commit, force builds again", async () => {
    const reused = await repo.slipway(["deploy", "--build-mode", "reuse", "--json"]);
    expect(reused.exitCode, reused.stderr).toBe(0);
    expect(events(reused.stdout).find((e) => e.event === "step" && e.step === "build" && e.status !== "started")).toMatchObject({ status: "succeeded", detail: "image reused" });
    const forced = await repo.slipway(["deploy", "--build-mode", "force", "--json"]);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(events(forced.stdout).find((e) => e.event === "step" && e.step === "build" && e.status !== "started")).toMatchObject({ status: "succeeded", detail: "built" });
  });

  it("a mirror project (mirror_of, same repository) re-uses the original's build of the same commit", async () => {
    const top = (await runCommand("git", ["-C", repo.dir, "rev-parse", "--show-toplevel"])).stdout.trim();
    const clone = join(mkdtempSync(join(tmpdir(), "slipway-mirror-")), "repo");
    await runCommand("git", ["clone", "-q", top, clone]);
    const dir = join(clone, "apps", "hello");
    const mirror = `${repo.project}-mirror`;
    const port = await freePort();
    writeFileSync(join(dir, "slipway.yml"), slipwayYml(mirror, port, `mirror_of: ${repo.project}\nretain: 1\n`));
    // The mirror's own settings are not part of the commit it deploys.
    await runCommand("git", ["-C", dir, "update-index", "--skip-worktree", "slipway.yml"]);
    const env = { ...repo.env };
    try {
      const result = await slipway(["deploy", "--json"], { cwd: dir, env, timeoutMs: 300_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      const build = events(result.stdout).find((e) => e.event === "step" && e.step === "build" && e.status !== "started");
      expect(build).toMatchObject({ status: "succeeded", detail: "image reused" });
      expect(result.stdout).toContain(`mirror of ${repo.project}: re-using its build`);
      const ids = async (name: string): Promise<string[]> => (await runCommand("docker", ["images", "--no-trunc", "--format", "{{.ID}}", "--filter", `reference=${name}/*`])).stdout.split("\n").filter(Boolean).sort();
      expect(await ids(mirror)).toEqual(await ids(repo.project));
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^hello from /);

      // Two more commits, built by the original, deployed by the mirror: with retain 1 the mirror
      // prunes its own tag of the first build (the original keeps its image), keeps the rest.
      const first = (await runCommand("git", ["-C", dir, "rev-parse", "HEAD"])).stdout.trim().slice(0, 12);
      const later: string[] = [];
      for (const n of [2, 3]) {
        later.push(await repo.commit({ "backend/static/app.css": `/* build ${n} */\n` }, `build ${n}`));
        expect((await repo.slipway(["deploy"])).exitCode).toBe(0);
        await runCommand("git", ["-C", dir, "pull", "-q"]);
        const again = await slipway(["deploy"], { cwd: dir, env, timeoutMs: 300_000 });
        expect(again.exitCode, again.stderr).toBe(0);
      }
      const tags = async (name: string): Promise<string[]> => (await runCommand("docker", ["images", "--format", "{{.Tag}}", "--filter", `reference=${name}/backend`])).stdout.split("\n").filter(Boolean).sort();
      expect(await tags(mirror)).toEqual([...later].sort());
      expect(await tags(repo.project)).toContain(first);
    } finally {
      await slipway(["down", "--volumes"], { cwd: dir, env });
      const tags = await runCommand("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=${mirror}/*`]);
      const names = tags.stdout.split("\n").filter(Boolean);
      if (names.length > 0) await runCommand("docker", ["rmi", ...names]);
      rmSync(join(clone, ".."), { recursive: true, force: true });
    }
  });

  it("--build-mode reuse refuses a commit never built, and nothing is left running of it", async () => {
    await repo.commit({ "backend/static/app.css": "/* never built */\n" }, "unbuilt");
    const result = await repo.slipway(["deploy", "--build-mode", "reuse"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no build of \w+ with these build settings exists \(--build-mode reuse\)/);
    expect(await get(repo.port)).toContain("greeting:");
  });
});

describe("two environments deploying at once", () => {
  it("both change the host's one router (new ports: a reload each), and both serve afterwards", async () => {
    const [productionPort, newStagingPort] = [await freePort(), await freePort()];
    const environments = `environments:\n  production: { default: true }\n  staging: { listen: ${newStagingPort} }\n`;
    const commit = await repo.commit({ "slipway.yml": slipwayYml(repo.project, productionPort, environments) }, "new ports for both environments");
    const results = await Promise.all([repo.slipway(["deploy"]), repo.slipway(["deploy", "--env", "staging"])]);
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    expect(await get(productionPort)).toContain(`hello from ${commit}`);
    expect(await get(newStagingPort)).toContain(`hello from ${commit}`);
    const backends = Object.values(JSON.parse(readFileSync(join(repo.env.SLIPWAY_HOME ?? "", "router", "routes.json"), "utf8")) as Record<string, { listen: number }>);
    expect(backends.map((b) => b.listen).sort()).toEqual([productionPort, newStagingPort].sort());
  });
});
