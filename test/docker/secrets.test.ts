/**
 * Variables and secrets, end to end on the real engine: a secret set with `slipway env set`
 * reaches the release task and the running container, and nowhere else (images, labels, files
 * under SLIPWAY_HOME including the store, logs, --json output); a rollback runs with the
 * variables of the release it returns to unless --current-vars; a Doppler CLI feeds a deploy,
 * and a failing one stops it before anything starts.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import type { CliResult } from "../support/cli.js";
import { helloRepo, slipwayYml, type HelloRepo } from "../support/hello-repo.js";

const SECRET = "s3cr3t-Value-from-the-store";
const NEWER = "n3wer-Value-from-the-store";
const FROM_DOPPLER = "d0ppler-Value-from-the-provider";

let repo: HelloRepo;

/** Every file under a directory, recursively (the store, its WAL, planned files, build trees). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

async function docker(args: string[]): Promise<string> {
  const result = await runCommand("docker", args);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

async function containers(role?: string): Promise<string[]> {
  const filters = ["--filter", `label=slipway.project=${repo.project}`, ...(role ? ["--filter", `label=slipway.role=${role}`] : [])];
  return (await docker(["ps", "-aq", ...filters])).split("\n").filter(Boolean);
}

/** The value the running backend container has, read from inside it. */
async function backendSecret(): Promise<string> {
  const ps = await docker(["ps", "-q", "--filter", "status=running", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.service=backend"]);
  const id = ps.split("\n").filter(Boolean)[0] ?? "";
  return (await docker(["exec", id, "sh", "-c", 'printf %s "$SECRET_KEY"'])).trim();
}

beforeAll(async () => {
  repo = await helloRepo("secrets");
  // The release task and the backend print the secret: what they print must reach no log in clear.
  const release = readFileSync(join(repo.dir, "backend/release.sh"), "utf8").replace('echo "release: migrated ($version)"', 'echo "release: migrated ($version) with key $SECRET_KEY"');
  const start = readFileSync(join(repo.dir, "backend/start.sh"), "utf8").replace("nc=$!", 'nc=$!\necho "start.sh: serving with key $SECRET_KEY"');
  // A bind mount of the project's own files: a rollback with --current-vars must mount the same.
  const compose = readFileSync(join(repo.dir, "docker-compose.yml"), "utf8").replace("      - static:/static\n", "      - static:/static\n      - ./backend/www:/srv/bind-check:ro\n");
  expect(compose).toContain("/srv/bind-check");
  await repo.commit({ "backend/release.sh": release, "backend/start.sh": start, "docker-compose.yml": compose }, "print the key");
});

afterAll(async () => {
  await repo?.[Symbol.asyncDispose]();
});

describe("a secret set with slipway env set", () => {
  let deployed: CliResult;

  it("reaches the release task and the running container", async () => {
    const set = await repo.slipway(["env", "set", `SECRET_KEY=${SECRET}`, "GREETING=hello from the store"]);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/set GREETING, SECRET_KEY in production: version 1/);
    const listed = await repo.slipway(["env", "list"]);
    expect(listed.stdout).toMatch(/^SECRET_KEY\s+\*{5}$/m);
    expect(listed.stdout).not.toContain(SECRET);

    deployed = await repo.slipway(["deploy", "--json"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(/GREETING, SECRET_KEY from slipway env \(version 1\)/);
    expect(await backendSecret()).toBe(SECRET);
    expect((await repo.get("/")).body).toContain("greeting: hello from the store");
    // The release task printed it: the output shows it masked, so it had it.
    expect(deployed.stdout).toContain("with key ***");
  });

  it("appears in no image, label, file under SLIPWAY_HOME, log or --json output", async () => {
    const places: Record<string, string> = { "deploy --json": deployed.stdout + deployed.stderr };
    const images = (await docker(["images", "-q", "--filter", `reference=${repo.project}/*`])).split("\n").filter(Boolean);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      places[`image history ${image}`] = await docker(["image", "history", "--no-trunc", image]);
      places[`image inspect ${image}`] = await docker(["image", "inspect", image]);
    }
    for (const id of await containers()) places[`labels of ${id}`] = await docker(["inspect", "--format", "{{json .Config.Labels}}", id]);
    const stored = await repo.slipway(["logs", "--deployment", "1"]);
    places["stored deployment log"] = stored.stdout;
    expect(stored.stdout).toContain("with key ***");
    const logs = await repo.slipway(["logs", "backend"]);
    places["slipway logs backend"] = logs.stdout + logs.stderr;
    expect(logs.stdout).toContain("serving with key ***");
    places["releases --json"] = (await repo.slipway(["releases", "--json"])).stdout;
    for (const file of filesUnder(repo.env.SLIPWAY_HOME ?? "")) places[file] = readFileSync(file, "latin1");
    expect(Object.keys(places).some((p) => p.endsWith("slipway.db"))).toBe(true);
    for (const [where, text] of Object.entries(places)) expect(text.includes(SECRET), `the secret is in ${where}`).toBe(false);
    // The env files are gone; the release directory is the owner's alone.
    const releaseDir = join(repo.env.SLIPWAY_HOME ?? "", "releases", repo.project, "production", "v1");
    expect(readdirSync(releaseDir).sort()).toEqual(["accessories.yml", "build.yml", "release.yml"]);
    expect(statSync(releaseDir).mode & 0o777).toBe(0o700);
  });

  it("a rollback runs with the variables of the release it returns to, unless --current-vars", async () => {
    expect((await repo.slipway(["env", "set", `SECRET_KEY=${NEWER}`])).exitCode).toBe(0);
    const v2 = await repo.slipway(["deploy"]);
    expect(v2.exitCode, v2.stderr).toBe(0);
    expect(await backendSecret()).toBe(NEWER);

    const back = await repo.slipway(["rollback"]);
    expect(back.exitCode, back.stderr).toBe(0);
    expect(back.stderr).toMatch(/rolling back production to v1 .*with the variables it ran with/);
    expect(await backendSecret()).toBe(SECRET);

    const current = await repo.slipway(["rollback", "v1", "--current-vars"]);
    expect(current.exitCode, current.stderr).toBe(0);
    expect(await backendSecret()).toBe(NEWER);
    // Read from the release's commit, it still mounts the project's files, not the build tree's.
    const ps = await docker(["ps", "-q", "--filter", "status=running", "--filter", `label=slipway.project=${repo.project}`, "--filter", "label=slipway.service=backend"]);
    const mounts = JSON.parse(await docker(["inspect", "--format", "{{json .Mounts}}", ps.trim()])) as Array<{ Source: string; Destination: string }>;
    expect(mounts.find((m) => m.Destination === "/srv/bind-check")?.Source).toBe(join(repo.dir, "backend/www"));

    const releases = (await repo.slipway(["releases"])).stdout;
    expect(releases).toMatch(/^v4\s.*rollback to v1\s+v2 \(changed\)/m);
    expect(releases).toMatch(/^v3\s.*rollback to v1\s+v1 \(changed\)/m);
    expect(releases).toMatch(/^v2\s.*deploy\s+v2 \(changed\)/m);
    expect(releases).toMatch(/^v1\s.*deploy\s+v1\s/m);
    expect(releases).not.toContain(NEWER);

    // A new key re-seals the releases too: their digests still compare, their snapshots still open.
    const rotated = await repo.slipway(["env", "rotate-key"]);
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    const timeless = (text: string): string => text.replace(/\S+ ago/g, "").replace(/[ \t]+/g, " ");
    expect(timeless((await repo.slipway(["releases"])).stdout)).toBe(timeless(releases));
    const logs = await repo.slipway(["logs", "backend"]);
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("serving with key ***");
  });
});

describe("a Doppler provider", () => {
  let bin: string;

  beforeAll(async () => {
    bin = join(repo.env.SLIPWAY_HOME ?? "", "..", "bin");
    mkdirSync(bin, { recursive: true });
    const doppler = (body: string): void => {
      writeFileSync(join(bin, "doppler"), `#!/bin/sh\necho "$@" >"${bin}/doppler.args"\n${body}\n`);
      chmodSync(join(bin, "doppler"), 0o755);
    };
    doppler(`printf '%s' '{"SECRET_KEY":"${FROM_DOPPLER}","DOPPLER_PROJECT":"hello","DOPPLER_CONFIG":"prd"}'`);
    const yml = slipwayYml(repo.project, repo.port, "secrets: { provider: doppler, project: hello, config: prd }");
    await repo.commit({ "slipway.yml": yml }, "secrets from doppler");
  });

  it("feeds a deploy, over the store's value", async () => {
    const result = await repo.slipway(["deploy"], { PATH: `${bin}:${process.env.PATH ?? ""}` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(bin, "doppler.args"), "utf8").trim()).toBe("secrets download --no-file --format json --project hello --config prd");
    expect(result.stderr).toMatch(/SECRET_KEY from doppler \(hello\/prd\)/);
    expect(await backendSecret()).toBe(FROM_DOPPLER);
    expect(result.stderr).not.toContain(FROM_DOPPLER);
  });

  it("failing: a preflight error, nothing started", async () => {
    writeFileSync(join(bin, "doppler"), `#!/bin/sh\necho "Doppler Error: Invalid Auth token" >&2\nexit 1\n`);
    const before = { containers: (await containers()).sort(), releases: (await repo.slipway(["releases", "--json"])).stdout };
    const result = await repo.slipway(["deploy"], { PATH: `${bin}:${process.env.PATH ?? ""}` });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/doppler \(hello\/prd\) could not give the secrets: Doppler Error: Invalid Auth token/);
    expect((await containers()).sort()).toEqual(before.containers);
    expect((await repo.slipway(["releases", "--json"])).stdout).toBe(before.releases);
  });

  it("missing: says to install it", async () => {
    const result = await repo.slipway(["check"], { PATH: "/usr/bin:/bin" });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/the doppler CLI is not installed/);
  });
});
