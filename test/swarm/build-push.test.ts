/**
 * `slipway build` of a swarm environment: the images built once, tagged with the commit, pushed
 * to `<registry>/<service>:<commit12>` with their digests reported and kept with the build (not
 * pushed again while the registry has them), and pullable from a worker;
 * `slipway prune` deleting the pushed tags of builds past retention from the registry.
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
    writeFileSync(join(dir, "slipway.yml"), [`project: ${project}`, "retain: 1", "environments:", `  live: { default: true, driver: swarm, registry: ${swarm.registry}/${project} }`, ""].join("\n"));
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

  it("keeps the digests with the build: the same build is not pushed again while the registry has it, and is once it lost the tag", async () => {
    const dir = join(root, "repo");
    const env = { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester" };
    const commit = (await git(dir, ["rev-parse", "HEAD"])).slice(0, 12);
    const again = await slipway(["build"], { cwd: dir, env, timeoutMs: 300_000 });
    expect(again.exitCode, again.stderr).toBe(0);
    const output = `${again.stdout}
${again.stderr}`;
    expect(output).toContain(`${swarm.registry}/${project}/web:${commit} is in the registry already`);
    expect(output).toContain(`${swarm.registry}/${project}/worker:${commit} is in the registry already`);
    expect(output).not.toMatch(/pushed \S+ \(sha256/);
    // The registry loses web's tag: the next build pushes web again, and only web.
    const manifest = `http://${swarm.registry}/v2/${project}/web/manifests/${commit}`;
    const head = await fetch(manifest, { method: "HEAD", headers: { accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json" } });
    const digest = head.headers.get("docker-content-digest") ?? "";
    expect((await fetch(`http://${swarm.registry}/v2/${project}/web/manifests/${digest}`, { method: "DELETE" })).status).toBe(202);
    const third = await slipway(["build"], { cwd: dir, env, timeoutMs: 300_000 });
    expect(third.exitCode, third.stderr).toBe(0);
    const after = `${third.stdout}
${third.stderr}`;
    expect(after).toContain(`pushed ${swarm.registry}/${project}/web:${commit} (${digest})`);
    expect(after).toContain(`${swarm.registry}/${project}/worker:${commit} is in the registry already`);
  });

  it("prunes the pushed tags of builds past retention from the registry, and from this engine", async () => {
    const dir = join(root, "repo");
    const env = { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester" };
    const first = (await git(dir, ["rev-parse", "HEAD"])).slice(0, 12);
    writeFileSync(join(dir, "Dockerfile"), 'FROM busybox\nRUN echo two > /version\nCMD ["sleep", "600"]\n');
    await git(dir, ["commit", "-q", "-am", "v2"]);
    const second = (await git(dir, ["rev-parse", "HEAD"])).slice(0, 12);
    const built = await slipway(["build"], { cwd: dir, env, timeoutMs: 300_000 });
    expect(built.exitCode, built.stderr).toBe(0);
    const manifest = async (service: string, tag: string): Promise<number> => {
      const response = await fetch(`http://${swarm.registry}/v2/${project}/${service}/manifests/${tag}`, { method: "HEAD", headers: { accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json" } });
      return response.status;
    };
    expect([await manifest("web", first), await manifest("web", second)]).toEqual([200, 200]);

    // retain: 1 keeps the newest build only.
    const pruned = await slipway(["prune"], { cwd: dir, env, timeoutMs: 120_000 });
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(`deleted from the registry ${swarm.registry}/${project}/web:${first}`);
    expect(pruned.stdout).toContain("deleted 2 pushed tags from the registry");
    expect([await manifest("web", first), await manifest("worker", first)]).toEqual([404, 404]);
    expect([await manifest("web", second), await manifest("worker", second)]).toEqual([200, 200]);
    const here = await runCommand("docker", ["image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "--filter", `reference=${swarm.registry}/${project}/*`]);
    expect(here.stdout.split("\n").filter(Boolean).sort()).toEqual([`${swarm.registry}/${project}/web:${second}`, `${swarm.registry}/${project}/worker:${second}`]);
  });
});
