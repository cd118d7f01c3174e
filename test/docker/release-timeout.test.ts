/**
 * A release task that hangs past `release.timeout` fails the deployment (exit 1) and leaves
 * nothing behind: its one-off container is killed and removed, not just the compose client, and
 * the network `run` created goes with it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { report } from "../support/report.js";
import { helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";

let repo: HelloRepo;

async function docker(args: string[]): Promise<string[]> {
  const result = await runCommand("docker", args);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.split("\n").filter(Boolean);
}

beforeAll(async () => {
  repo = await helloRepo("release-timeout");
  const prod = readFileSync(join(repo.dir, "docker-compose.prod.yml"), "utf8").replace('command: ["/app/release.sh"]', 'command: ["sh", "-c", "echo release: hanging; exec sleep 600"]');
  expect(prod).toContain("exec sleep 600");
  await repo.commit({ "docker-compose.prod.yml": prod, "slipway.yml": slipwayYml(repo.project, repo.port, "release: { timeout: 5s }") }, "a release task that hangs");
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("a release task that hangs past its timeout", () => {
  it("fails the deployment with exit 1 and leaves no one-off container or network", async () => {
    const began = Date.now();
    const result = await repo.slipway(["deploy"]);
    const seconds = (Date.now() - began) / 1000;
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/release > release: hanging/);
    expect(result.stderr).toMatch(/the release task release was stopped after 5 s \(release\.timeout in slipway\.yml\)/);
    expect(result.stderr).toMatch(/release \| removed .*-release-run-/);
    const releaseProject = `${repo.project}-production-v1`;
    expect(await docker(["ps", "-a", "--filter", `label=com.docker.compose.project=${releaseProject}`, "--format", "{{.Names}}"])).toEqual([]);
    expect(await docker(["ps", "-a", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=com.docker.compose.oneoff=True", "--format", "{{.Names}}"])).toEqual([]);
    expect(await docker(["network", "ls", "--filter", `label=com.docker.compose.project=${releaseProject}`, "--format", "{{.Name}}"])).toEqual([]);
    // Nothing went live; the accessories it started stay, as after any failed deployment.
    expect((await repo.slipway(["releases"])).stdout).toMatch(/^v1\s.*failed/m);
    report(`release timeout: deploy exited after ${seconds.toFixed(1)} s (build included)`);
  });
});
