/** The CLI end to end through bin/slipway.js: argv in; stdout, stderr and exit code out. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it, onTestFinished } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { composeAccepts, fixtureDir } from "../support/fixtures.js";
import { tempProject } from "../support/temp-project.js";

const SEED_ENV = { POSTGRES_PASSWORD: "pw", SECRET_KEY: "sk" };

describe("slipway --version and --help", () => {
  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const result = await slipway(["--version"], { cwd: tmpdir() });
    expect(result).toEqual({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("lists the commands and the exit codes", async () => {
    const result = await slipway(["--help"], { cwd: tmpdir() });
    expect(result.exitCode).toBe(0);
    for (const command of ["check", "config", "plan", "init"]) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    expect(result.stdout).toContain("Exit codes: 0 ok");
  });

  it.each(["check", "config", "plan", "init"])("slipway %s --help describes its options", async (command) => {
    const result = await slipway([command, "--help"], { cwd: tmpdir() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Usage: slipway ${command}`);
    expect(result.stdout).toContain("--env <name>");
  });

  it.each([
    ["build", "Exit codes: 0 built"],
    ["run", "Exit codes: the command's own"],
    ["exec", "Exit codes: the command's own"],
    ["accessories", "Exit codes: 0 ok"],
    ["accessories up", "--yes"],
    ["accessories restart", "Exit codes: 0 ok"],
    ["accessories logs", "--follow"],
  ])("slipway %s --help describes its options and exit codes", async (command, shown) => {
    const result = await slipway([...command.split(" "), "--help"], { cwd: tmpdir() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Usage: slipway ${command}`);
    expect(result.stdout).toContain("--env <name>");
    expect(result.stdout).toContain(shown);
  });

  it("an unknown command is bad input, with a suggestion", async () => {
    const result = await slipway(["plna"], { cwd: tmpdir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'plna'[\s\S]*Did you mean plan\?/);
  });

  it("an unknown --format is bad input", async () => {
    const result = await slipway(["config", "--format", "toml"], { cwd: fixtureDir("single-web") });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Allowed choices are yaml, json/);
  });
});

describe("the bundle", () => {
  it("finds in node_modules every module it requires from there (dockerode's session and ssh support)", () => {
    const chunks = new URL("../../dist/bundle/chunks/", import.meta.url);
    const required = new Set<string>();
    for (const file of readdirSync(chunks)) {
      for (const match of readFileSync(new URL(file, chunks), "utf8").matchAll(/__require\("([^"]+)"\)/g)) required.add(match[1] ?? "");
    }
    const packages = [...required].filter((name) => !isBuiltin(name));
    expect(packages).toEqual(expect.arrayContaining(["dockerode/lib/session.js", "docker-modem/lib/ssh.js"]));
    const load = createRequire(new URL("../../dist/bundle/chunks/x.js", import.meta.url));
    for (const name of packages) expect(() => load.resolve(name), name).not.toThrow();
  });
});

describe("slipway config", () => {
  it("prints compose's resolved model and each service's classification as JSON", async () => {
    const result = await slipway(["config", "--format", "json"], { cwd: fixtureDir("seed-classic"), env: SEED_ENV });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const view = JSON.parse(result.stdout) as { project: string; environment: string; compose_files: string[]; slipway: { services: Record<string, { role: string; routes?: unknown[] }> }; compose: { services: Record<string, { environment: Record<string, string> }> } };
    expect(view.project).toBe("seed-classic");
    expect(view.environment).toBe("production");
    expect(view.compose_files).toEqual(["docker-compose.yml", "docker-compose.prod.yml"]);
    expect(Object.fromEntries(Object.entries(view.slipway.services).map(([k, v]) => [k, v.role]))).toEqual({ backend: "app", frontend: "app", db: "accessory", redis: "accessory", release: "release" });
    expect(view.slipway.services.frontend?.routes).toEqual([{ port: 80, listen: 8080, hosts: [], readiness: { probe: { type: "tcp" }, intervalMs: 1000, timeoutMs: 2000, passes: 2, deadlineMs: 60_000 } }]);
    expect(view.compose.services.backend?.environment.SECRET_KEY).toBe("sk");
  });

  it("prints YAML by default", async () => {
    const result = await slipway(["config"], { cwd: fixtureDir("single-web") });
    expect(result.exitCode).toBe(0);
    expect((parse(result.stdout) as { slipway: { services: { web: { role: string } } } }).slipway.services.web.role).toBe("app");
  });
});

describe("slipway plan", () => {
  it("prints planned files that plain docker compose accepts, and writes them with --out", async () => {
    const out = mkdtempSync(join(tmpdir(), "slipway-plan-out-"));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const result = await slipway(["plan", "--release", "v4", "--format", "json", "--out", out], { cwd: fixtureDir("seed-classic"), env: SEED_ENV });
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(result.stdout) as { release: string; files: Record<string, { projectName: string; content: unknown }> };
    expect(plan.release).toBe("v4");
    expect(plan.files.release?.projectName).toBe("seed-classic-production-v4");
    for (const kind of ["release", "accessories", "build"]) {
      const file = plan.files[kind];
      if (!file) throw new Error(`no ${kind} file planned`);
      expect(await composeAccepts(file.content, file.projectName)).toEqual({ exitCode: 0, stderr: "" });
      const written = join(out, `${kind}.yml`);
      const check = await runCommand("docker", ["compose", "-p", file.projectName, "-f", written, "config", "--quiet"]);
      expect(check.exitCode, check.stderr).toBe(0);
    }
  });

  it("prints a YAML stream, one document per file", async () => {
    const result = await slipway(["plan"], { cwd: fixtureDir("single-web") });
    expect(result.exitCode).toBe(0);
    const docs = result.stdout.split(/^---$/m).slice(1).map((d) => parse(d) as { name: string });
    expect(docs.map((d) => d.name)).toEqual(["single-web-production-v1", "single-web-production-accessories", "single-web-build"]);
  });

  it("refuses a project that cannot deploy without downtime", async () => {
    const result = await slipway(["plan"], { cwd: fixtureDir("fixed-port-worker") });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/services\.metrics\.ports: fixed public port 9100:9100/);
  });

  it("rejects a release that is not vN", async () => {
    const result = await slipway(["plan", "--release", "latest"], { cwd: fixtureDir("single-web") });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--release latest: write a release number such as v3/);
  });
});

describe("slipway init", () => {
  const files = {
    "docker-compose.yml": "services:\n  web:\n    build: .\n    ports: ['8000:8000']\n    environment:\n      KEY: ${SECRET_KEY}\n  celerybeat:\n    build: .\n    command: beat\n  db:\n    image: postgres\n",
    "docker-compose.prod.yml": "services:\n  release:\n    build: .\n    command: migrate\n    profiles: [release]\n",
    Dockerfile: "FROM busybox\n",
  };

  it("writes a slipway.yml the other commands accept, without prompting when stdin is not a terminal", async () => {
    using project = tempProject(files, "Shop App");
    const result = await slipway(["init"], { cwd: project.dir, env: { SECRET_KEY: undefined } });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const written = parse(readFileSync(join(project.dir, "slipway.yml"), "utf8")) as Record<string, unknown>;
    expect(written).toEqual({
      project: "shop-app",
      compose: ["docker-compose.yml", "docker-compose.prod.yml"],
      release: { service: "release", timeout: "10m" },
      routes: [{ service: "web", port: 8000, listen: 8000, healthcheck: { passes: 2, deadline: "60s" } }],
      services: { web: { role: "app" }, celerybeat: { role: "app", stop_first: true }, db: { role: "accessory" }, release: { role: "release" } },
      environments: { production: { default: true } },
      retain: 5,
    });
    const config = await slipway(["config", "--format", "json"], { cwd: project.dir, env: { SECRET_KEY: "s" } });
    expect(config.stderr).toBe("");
    const view = JSON.parse(config.stdout) as { project: string; slipway: { services: Record<string, { role: string; stop_first: boolean }> } };
    expect(view.project).toBe("shop-app");
    expect(view.slipway.services.celerybeat).toMatchObject({ role: "app", stop_first: true });
  });

  it("never overwrites an existing slipway.yml unless --force", async () => {
    using project = tempProject({ ...files, "slipway.yml": "retain: 3\n" });
    const refused = await slipway(["init"], { cwd: project.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/slipway\.yml already exists .*--force/);
    expect(readFileSync(join(project.dir, "slipway.yml"), "utf8")).toBe("retain: 3\n");
    const forced = await slipway(["init", "--force"], { cwd: project.dir });
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(join(project.dir, "slipway.yml"), "utf8")).toContain("stop_first: true");
  });
});

describe("slipway releases, reading slipway.yml through the home's cache of validated configs", () => {
  it("follows every change of slipway.yml, valid or not", async () => {
    using project = tempProject({ "docker-compose.yml": "services:\n  web:\n    image: busybox\n", "slipway.yml": "project: shop\nenvironments:\n  live: {}\n" });
    const home = mkdtempSync(join(tmpdir(), "slipway-cli-cache-"));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const releases = () => slipway(["releases", "--env", "live"], { cwd: project.dir, env: { SLIPWAY_HOME: home } });
    const entries = () => (existsSync(join(home, "cache", "config")) ? readdirSync(join(home, "cache", "config")).length : 0);
    expect(await releases()).toEqual({ exitCode: 0, stdout: "no releases of shop in live yet: run slipway deploy\n", stderr: "" });
    expect(entries()).toBe(1);
    expect(await releases()).toEqual({ exitCode: 0, stdout: "no releases of shop in live yet: run slipway deploy\n", stderr: "" });
    writeFileSync(join(project.dir, "slipway.yml"), "project: shop2\nenvironments:\n  live: {}\n");
    expect((await releases()).stdout).toBe("no releases of shop2 in live yet: run slipway deploy\n");
    writeFileSync(join(project.dir, "slipway.yml"), "project: shop2\nenvironments:\n  live: {}\nretian: 3\n");
    const broken = await releases();
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/retian: unknown key; did you mean "retain"\?/);
    expect(entries()).toBe(2);
    writeFileSync(join(project.dir, "slipway.yml"), "project: shop\nenvironments:\n  live: {}\n");
    expect((await releases()).stdout).toBe("no releases of shop in live yet: run slipway deploy\n");
  });
});

describe("slipway with Docker Compose missing", () => {
  it("exits 4 and says how to install it", async () => {
    // A PATH with git but no docker.
    const bin = mkdtempSync(join(tmpdir(), "slipway-nodocker-"));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    mkdirSync(bin, { recursive: true });
    const git = ["/usr/bin/git", "/bin/git"].find((p) => existsSync(p));
    if (git) symlinkSync(git, join(bin, "git"));
    const result = await slipway(["check"], { cwd: fixtureDir("single-web"), env: { PATH: bin, SLIPWAY_COMPOSE: "docker-compose-not-installed" } });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/Docker Compose is not installed \(docker-compose-not-installed not found\): install the Docker Compose v2 plugin/);
  });
});

describe("slipway with an old Docker Compose", () => {
  it("exits 4, naming the version found and the one needed", async () => {
    using project = tempProject({ "old-compose": "#!/bin/sh\necho 2.20.3\n" }, "bin");
    chmodSync(join(project.dir, "old-compose"), 0o755);
    const result = await slipway(["check"], { cwd: fixtureDir("single-web"), env: { SLIPWAY_COMPOSE: join(project.dir, "old-compose") } });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/Docker Compose 2\.20\.3 is too old; Slipway needs 2\.24 or newer/);
  });
});
