/**
 * A swarm environment whose registry wants a login (registry_login, its password a variable in
 * Slipway's encrypted store): without the variable, check and deploy stop before anything is
 * built or pushed; with it, the check's probe pulls on every node, and a deploy pushes, runs
 * its release job and its tasks on the workers, which pull with those credentials (an
 * anonymous pull is refused). The password shows in no output and no service spec.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slipway, type CliResult } from "../support/cli.js";
import { freeListenPort } from "../support/hello-repo.js";
import { httpdDockerfile, routedSlipwayYml, run } from "../support/swarm-app.js";
import { removeProjectImages, startLockedRegistry, startSwarm, teardownSwarm, type LockedRegistry, type TestSwarm } from "../support/swarm-harness.js";


describe("a swarm registry that wants a login", () => {
  let swarm: TestSwarm;
  let registry: LockedRegistry;
  let root: string;
  let dir: string;
  let port: number;
  const outputs: string[] = [];
  const project = `swarmlogin-${Math.random().toString(36).slice(2, 8)}`;
  const cli = async (args: string[]): Promise<CliResult> => {
    const result = await slipway(args, { cwd: dir, env: { SLIPWAY_HOME: join(root, "home"), SLIPWAY_ACTOR: "tester", SLIPWAY_SWARM_ROUTER_NAME: `slipway-router-${project}` }, timeoutMs: 280_000 });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  /** The repositories the locked registry holds, asked with its credentials. */
  const catalog = async (): Promise<string[]> => {
    const response = await fetch(`http://${registry.address}/v2/_catalog`, { headers: { authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString("base64")}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { repositories: string[] }).repositories.filter((r) => r.startsWith(`${project}/`));
  };

  const tagsOf = async (repository: string): Promise<string[]> => {
    const response = await fetch(`http://${registry.address}/v2/${repository}/tags/list`, { headers: { authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString("base64")}` } });
    return response.status === 404 ? [] : (((await response.json()) as { tags: string[] | null }).tags ?? []);
  };

  beforeAll(async () => {
    swarm = await startSwarm();
    registry = await startLockedRegistry();
    root = mkdtempSync(join(tmpdir(), "slipway-swarm-login-"));
    dir = join(root, "repo");
    port = await freeListenPort();
    mkdirSync(join(dir, "www"), { recursive: true });
    writeFileSync(join(dir, "www/index.html"), "v1\n");
    writeFileSync(join(dir, "Dockerfile"), httpdDockerfile());
    writeFileSync(
      join(dir, "compose.yaml"),
      [
        "services:",
        "  web:",
        "    build: .",
        "    image: web:${TAG:-dev}",
        "    init: true",
        // On the workers only: their engines have none of the images, so they must pull them.
        "    deploy: { placement: { constraints: [node.role == worker] } }",
        "  release:",
        "    image: web:${TAG:-dev}",
        '    command: ["sh", "-c", "echo migrating"]',
        "",
      ].join("\n"),
    );
    const login = `registry_login: { username: ${registry.username}, password: REGISTRY_PASSWORD }`;
    writeFileSync(join(dir, "slipway.yml"), routedSlipwayYml({ project, listen: port, registry: `${registry.address}/${project}`, deadline: "20s", live: `replicas: { web: 2 }, ${login}` }));
    await run("git", ["init", "-q", "-b", "main", dir]);
    await run("git", ["-C", dir, "add", "-A"]);
    await run("git", ["-C", dir, "-c", "user.email=test@slipway.invalid", "-c", "user.name=test", "commit", "-q", "-m", "v1"]);
  });

  afterAll(async () => {
    await removeProjectImages(project);
    rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("without its password variable, check and deploy say how to set it, and nothing is built or pushed", async () => {
    const says = "registry_login of live takes its password from the variable REGISTRY_PASSWORD, which is not set: slipway env set REGISTRY_PASSWORD=- --env live";
    const check = await cli(["check"]);
    expect(check.stdout + check.stderr).toContain(says);
    expect(check.exitCode).toBe(2);
    const deploy = await cli(["deploy"]);
    expect(deploy.stderr).toContain(says);
    expect(deploy.exitCode).toBe(2);
    expect(await run("docker", ["image", "ls", "-q", "--filter", `label=slipway.project=${project}`])).toBe("");
    expect(await catalog()).toEqual([]);
  });

  it("with it, every node pulls in the check, and a deploy's tasks run on the workers from what they pulled with it", async () => {
    const secretFile = join(root, "registry-password");
    writeFileSync(secretFile, registry.password, { mode: 0o600 });
    const set = await cli(["env", "set", `REGISTRY_PASSWORD=@${secretFile}`, "--env", "live"]);
    expect(set.exitCode, set.stderr).toBe(0);

    const check = await cli(["check"]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.match(/pulls from the registry/g)?.length).toBe(3);

    const deploy = await cli(["deploy"]);
    expect(deploy.stderr).toContain("is live");
    expect(deploy.exitCode).toBe(0);
    expect(deploy.stdout + deploy.stderr).toContain("migrating");
    const answer = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } });
    expect((await answer.text()).trim()).toBe("v1");
    // The release job's image is pushed too; the check's probe image was deleted after its pulls.
    expect((await catalog()).filter((r) => !r.endsWith("/slipway-probe")).sort()).toEqual([`${project}/release`, `${project}/web`]);
    expect(await tagsOf(`${project}/slipway-probe`)).toEqual([]);

    const service = `${project}-live-v1_web`;
    const nodes = (await run("docker", ["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.Node}}"])).split("\n");
    const workers = swarm.nodes.filter((node) => node.host !== undefined);
    expect(nodes.sort()).toEqual(workers.map((w) => w.hostname).sort());
    // The workers pulled it, which the registry allows no one without the credentials.
    const image = await run("docker", ["service", "inspect", service, "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}"]);
    const digest = image.split("@")[1] ?? "";
    expect(image).toBe(`${registry.address}/${project}/web@${digest}`);
    for (const worker of workers) {
      const pulled = await run("docker", ["-H", worker.host ?? "", "image", "ls", "--digests", "--format", "{{.Repository}}@{{.Digest}}"]);
      expect(pulled.split("\n")).toContain(`${registry.address}/${project}/web@${digest}`);
    }
    const anonymous = await fetch(`http://${registry.address}/v2/${project}/web/manifests/${digest}`, { headers: { accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json" } });
    expect(anonymous.status).toBe(401);

    // Neither said nor kept where it can be read back.
    const specs = await run("docker", ["service", "inspect", service, `slipway-router-${project}`]);
    expect(specs).not.toContain(registry.password);
    expect(outputs.join("\n")).not.toContain(registry.password);
    expect(outputs.join("\n")).not.toContain(Buffer.from(`${registry.username}:${registry.password}`).toString("base64"));
  });
});
