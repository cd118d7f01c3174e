/**
 * Retention with retain: 2 after five deploys: the images of the last two releases stay (the
 * live one among them), the rest go; a rollback to a pruned release fails up front.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";

let repo: HelloRepo;
const tags: string[] = [];

async function imageTags(): Promise<string[]> {
  const result = await runCommand("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=${repo.project}/*`]);
  return result.stdout.split("\n").filter(Boolean).sort();
}

beforeAll(async () => {
  repo = await helloRepo("retain");
  tags.push(await repo.commit({ "slipway.yml": slipwayYml(repo.project, repo.port, "retain: 2\n") }, "retain 2"));
  for (let i = 2; i <= 5; i++) tags.push(await repo.commit({ "backend/static/app.css": `/* release ${i} */\n` }, `release ${i}`));
  for (const tag of tags) {
    await runCommand("git", ["-C", repo.dir, "checkout", "-q", tag]);
    const result = await repo.slipway(["deploy", "--ref", tag]);
    expect(result.exitCode, result.stderr).toBe(0);
  }
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("retention", () => {
  it("keeps exactly the images of the last two releases, the live one among them", async () => {
    const kept = tags.slice(-2);
    expect(await imageTags()).toEqual(kept.flatMap((tag) => [`${repo.project}/backend:${tag}`, `${repo.project}/frontend:${tag}`]).sort());
    const dryRun = await repo.slipway(["prune", "--dry-run"]);
    expect(dryRun.stdout).toMatch(/^nothing to prune; kept the builds/m);
    const releases = await repo.slipway(["releases"]);
    expect(releases.stdout).toMatch(/^v4\s.*superseded\s+yes$/m);
    expect(releases.stdout).toMatch(/^v1\s.*no \(pruned\)$/m);
  });

  it("refuses a rollback to a pruned release, naming what is gone, and changes nothing", async () => {
    const before = (await repo.slipway(["releases", "--json"])).stdout;
    const result = await repo.slipway(["rollback", "v1"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`cannot roll back to v1: its images are gone \\(pruned\\): ${repo.project}/frontend:${tags[0]}, ${repo.project}/backend:${tags[0]}`));
    expect((await repo.slipway(["releases", "--json"])).stdout).toBe(before);
    expect((await repo.get("/")).body.split("\n")[0]).toBe(`hello from ${tags[4]}`);
  });
});
