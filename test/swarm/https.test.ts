/**
 * Host names and automatic HTTPS on a swarm, against a real ACME CA (Debian's Pebble, validating
 * on the router's HTTP port of the manager): the swarm router answers the HTTP-01 challenge,
 * serves the app by host name over HTTPS with the certificate issued, redirects HTTP; the next
 * deploy under HTTPS load loses no request and never restarts the router; a forced
 * renewal replaces the certificate in the running router; down removes it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slipway, type CliResult } from "../support/cli.js";
import { freeListenPort } from "../support/hello-repo.js";
import { httpGet, httpsGet, startHttpsLoad } from "../support/https.js";
import { startPebble, type Pebble } from "../support/pebble.js";
import { httpdDockerfile, run } from "../support/swarm-app.js";
import { removeProjectImages, startSwarm, teardownSwarm, type TestSwarm } from "../support/swarm-harness.js";

const COMPOSE = ["services:", "  web:", "    build: .", "    image: web:${TAG:-dev}", "    init: true", ""].join("\n");

describe("host names and HTTPS on a swarm", () => {
  let swarm: TestSwarm;
  let pebble: Pebble;
  let ca: string;
  let root: string;
  let dir: string;
  let ports: { http: number; https: number };
  const project = `swarmtls-${Math.random().toString(36).slice(2, 8)}`;
  const router = `slipway-router-${project}`;
  const host = `${project}.test`;
  const env = (): Record<string, string> => ({
    SLIPWAY_HOME: join(root, "home"),
    SLIPWAY_ACTOR: "tester",
    SLIPWAY_SWARM_ROUTER_NAME: router,
    SLIPWAY_HTTP_PORT: String(ports.http),
    SLIPWAY_HTTPS_PORT: String(ports.https),
    SLIPWAY_MASTER_KEY: "a-test-master-key-of-32-characters-or-more",
    NODE_EXTRA_CA_CERTS: pebble.tlsCaFile,
  });
  const cli = (args: string[]): Promise<CliResult> => slipway(args, { cwd: dir, env: env(), timeoutMs: 280_000 });
  const git = (args: string[]): Promise<string> => run("git", ["-C", dir, "-c", "user.email=test@slipway.invalid", "-c", "user.name=test", ...args]);
  const https = () => httpsGet({ name: host, port: ports.https, ca });
  const routerTask = (): Promise<string> => run("docker", ["service", "ps", router, "--filter", "desired-state=running", "--format", "{{.ID}}"]);

  async function commit(version: string): Promise<void> {
    writeFileSync(join(dir, "www/index.html"), `${version}\n`);
    await git(["add", "-A"]);
    await git(["commit", "-q", "-m", version]);
  }

  beforeAll(async () => {
    swarm = await startSwarm();
    ports = { http: await freeListenPort(), https: await freeListenPort() };
    pebble = await startPebble({ httpPort: ports.http });
    ca = readFileSync(pebble.rootFile, "utf8");
    root = mkdtempSync(join(tmpdir(), "slipway-swarm-https-"));
    dir = join(root, "repo");
    mkdirSync(join(dir, "www"), { recursive: true });
    writeFileSync(join(dir, "Dockerfile"), httpdDockerfile());
    writeFileSync(join(dir, "compose.yaml"), COMPOSE);
    writeFileSync(
      join(dir, "slipway.yml"),
      [
        `project: ${project}`,
        "routes:",
        "  - service: web",
        "    port: 8000",
        `    hosts: [${host}, www.${host}]`,
        "    healthcheck: { path: /, interval: 500ms, passes: 1, deadline: 30s }",
        `acme: { email: ops@example.com, directory: "${pebble.directory}" }`,
        "environments:",
        `  live: { default: true, driver: swarm, registry: ${swarm.registry}/${project}, replicas: { web: 2 }, hsts: true }`,
        "",
      ].join("\n"),
    );
    await run("git", ["init", "-q", "-b", "main", dir]);
    await commit("v1");
  });

  afterAll(async () => {
    await pebble?.[Symbol.asyncDispose]();
    await removeProjectImages(project);
    if (root) rmSync(root, { recursive: true, force: true });
    await teardownSwarm();
  });

  it("issues a certificate through the swarm router's challenge answer and serves the host over HTTPS", async () => {
    const result = await cli(["deploy"]);
    expect(result.stderr).toContain("is live");
    expect(result.exitCode).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/certificate for \S+, \S+ issued by/);
    const answer = await https();
    expect(answer.status).toBe(200);
    expect(answer.body.trim()).toBe("v1");
    expect(answer.names).toContain(`DNS:www.${host}`);
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
    const plain = await httpGet({ name: host, port: ports.http, path: "/a?b=1" });
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe(`https://${host}:${ports.https}/a?b=1`);
    // A name the router does not serve: its fallback certificate, and a 404.
    expect((await httpGet({ name: "other.test", port: ports.http })).status).toBe(404);
    const certs = await cli(["certs"]);
    expect(certs.stdout).toContain(`${project}/live: ${host}, www.${host}`);
    expect(certs.stdout).toMatch(/issuer .*Pebble/);
  });

  it("deploys v2 under HTTPS load with 0 failed requests, the router never restarted", async () => {
    const task = await routerTask();
    await commit("v2");
    const secure = startHttpsLoad({ name: host, port: ports.https, ca, connections: 8, maxSeconds: 240 });
    await new Promise((ok) => setTimeout(ok, 1000));
    const result = await cli(["deploy"]);
    await new Promise((ok) => setTimeout(ok, 1000));
    const secured = await secure.stop();
    expect(result.stderr).toContain("is live");
    expect(result.exitCode).toBe(0);
    expect(secured.ok).toBeGreaterThan(100);
    expect(secured.failures).toEqual({});
    expect(secured.failed).toBe(0);
    expect((await https()).body.trim()).toBe("v2");
    expect(await routerTask()).toBe(task);
  });

  it("renews the certificate into the running router (a new serial, no restart)", async () => {
    const before = (await https()).serial;
    const task = await routerTask();
    const renewed = await cli(["certs", "renew", "--force"]);
    expect(renewed.stdout, renewed.stderr).toMatch(/: renewed: serial/);
    expect(renewed.exitCode).toBe(0);
    const after = await https();
    expect(after.serial).not.toBe(before);
    expect(after.body.trim()).toBe("v2");
    expect(await routerTask()).toBe(task);
  });

  it("down removes the routes, the router and the certificate", async () => {
    const result = await cli(["down"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const certs = await cli(["certs"]);
    expect(certs.stdout).toContain("no certificates");
    expect(await run("docker", ["service", "ls", "--filter", `name=${router}`, "--format", "{{.Name}}"])).toBe("");
  });
});
