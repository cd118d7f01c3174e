/**
 * `slipway build` of a swarm environment: the images built once, tagged with the commit, pushed
 * to `<registry>/<service>:<commit12>` with their digests reported, and pullable from a worker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { removeProjectImages, startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";

const git = async (dir: string, args: string[]): Promise<string> => {
  const result = await runCommand("git", ["-C", dir, "-c", "user.email=test@slipway.invalid", "-c", "user.name=test", ...args]);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};

describe("slipway build on a swarm environment", () => {
  let swarm: TestSwarm;
  let root: string;
  const project = `swarmbuild-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    swarm = await startSwarm();
    root = mkdtempSync(join(tmpdir(), "slipway-swarm-build-"));
    const dir = join(root, "repo");
    mkdirSync(dir);
    writeFileSync(join(dir, "Dockerfile"), 'FROM busybox\nCMD ["sleep", "600"]\n');
    writeFileSync(join(dir, "compose.yaml"), ["services:", "  web:", "    build: .", "    image: web:${TAG:-dev}", "  worker:", "    image: web:${TAG:-dev}", "    command: [sleep, '600']", ""].join("\n"));
    writeFileSync(join(dir, "slipway.yml"), [`project: ${project}`, "environments:", `  live: { default: true, driver: swarm, registry: ${swarm.registry}/${project} }`, ""].join("\n"));
    await runCommand("git", ["init", "-q", "-b", "main", dir]);
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "-m", "v1"]);
  });
  afterAll(async () => {
    await removeProjectImages(project);
    rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("pushes each app service's image under the commit's tag, and a worker pulls it by digest", async () => {
    const dir = join(root, "repo");
    const commit = (await git(dir, ["rev-parse", "HEAD"])).slice(0, 12);
    const result = await slipway(["build"], { cwd: dir, env: { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester" }, timeoutMs: 300_000 });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.exitCode).toBe(0);
    const pushed = [...`${result.stdout}\n${result.stderr}`.matchAll(/(\S+\/(web|worker):([0-9a-f]{12}))@(sha256:[0-9a-f]{64})/g)].map((m) => ({ reference: m[1], service: m[2], tag: m[3], digest: m[4] }));
    expect(pushed.map((p) => `${p.service}:${p.tag}`).sort()).toEqual([`web:${commit}`, `worker:${commit}`]);
    const web = pushed.find((p) => p.service === "web");
    const worker = swarm.nodes.find((node) => node.host !== undefined);
    const pull = await runCommand("docker", ["-H", worker?.host ?? "", "pull", `${swarm.registry}/${project}/web@${web?.digest ?? ""}`], { timeoutMs: 120_000 });
    expect(pull.stderr).toBe("");
    expect(pull.exitCode).toBe(0);
  });
});
