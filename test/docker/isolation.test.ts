/**
 * Isolation of a release, on the real engine: two releases of one environment run side by side
 * on the environment network, and a service asking for `web` by name reaches its own release's
 * `web`, never the other's; both reach the environment's accessory by its name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createComposeCli, type ComposeProject } from "../../src/adapters/compose-cli.js";
import { createEngine } from "../../src/adapters/docker-engine.js";
import { createGit } from "../../src/adapters/git.js";
import { runCommand } from "../../src/adapters/run-command.js";
import type { ReleasePlan } from "../../src/plan/plan-release.js";
import { loadAndResolve, planProject } from "../../src/project/resolve-project.js";
import { composeEnvFile } from "../../src/secrets/env-file.js";

const project = `iso-${Math.random().toString(36).slice(2, 8)}`;
const root = mkdtempSync(join(tmpdir(), "slipway-isolation-"));
const dir = join(root, project);
const compose = createComposeCli();
const engine = createEngine();
const plans: ReleasePlan[] = [];
const projects: ComposeProject[] = [];

const COMPOSE = `
services:
  web:
    build: .
    command: ["sh", "-c", "mkdir -p /www && echo $$RELEASE >/www/index.html && exec httpd -f -p 8000 -h /www"]
    environment:
      RELEASE: \${RELEASE}
  front:
    build: .
    command: ["sleep", "600"]
    ports: ["8080:8000"]
  db:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo db >/www/index.html && exec httpd -f -p 5432 -h /www"]
`;

function file(plan: ReleasePlan, kind: "release" | "accessories" | "build"): ComposeProject {
  const path = join(root, `${plan.release}-${kind}.yml`);
  writeFileSync(path, stringify(plan.files[kind].content));
  // As a deploy does: each service's variables in its env file beside the planned files.
  mkdirSync(join(root, plan.release), { recursive: true });
  for (const env of plan.envFiles) writeFileSync(env.path, composeEnvFile(env.values), { mode: 0o600 });
  return { projectName: plan.files[kind].projectName, files: [path], projectDirectory: dir };
}

async function must(project: ComposeProject, args: string[]): Promise<void> {
  const result = await compose.exec(project, args);
  if (result.exitCode !== 0) throw new Error(`compose ${args.join(" ")}: ${result.stderr}`);
}

async function ask(release: string, url: string): Promise<string> {
  const result = await runCommand("docker", ["exec", `${project}-production-${release}-front-1`, "wget", "-q", "-O-", url]);
  return result.stdout.trim();
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "docker-compose.yml"), COMPOSE);
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\n");
  for (const release of ["v1", "v2"]) {
    const { resolved } = await loadAndResolve({ dir, processEnv: { RELEASE: release }, tag: "isolation" }, { git: createGit(), compose });
    if (!resolved) throw new Error("the isolation project did not load");
    plans.push(planProject(resolved, release, { tag: "isolation", envDir: join(root, release) }));
  }
  const [first] = plans;
  if (!first) throw new Error("no plan");
  await engine.ensureNetwork(first.network, { "slipway.project": project });
  await must(file(first, "build"), ["build"]);
  const accessories = file(first, "accessories");
  projects.push(accessories);
  await must(accessories, ["up", "-d"]);
  for (const plan of plans) {
    const release = file(plan, "release");
    projects.push(release);
    await must(release, ["up", "-d", "--no-build"]);
  }
});

afterAll(async () => {
  for (const p of projects.reverse()) await compose.exec(p, ["down", "--remove-orphans"]);
  if (plans[0]) await engine.removeNetwork(plans[0].network);
  await runCommand("docker", ["rmi", "-f", `${project}/web:isolation`, `${project}/front:isolation`]);
  rmSync(root, { recursive: true, force: true });
});

describe("two releases side by side", () => {
  it.each(["v1", "v2"])("the front of %s reaches the web of its own release by name, every time", async (release) => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => ask(release, "http://web:8000/")));
    expect(new Set(answers)).toEqual(new Set([release]));
  });

  it.each(["v1", "v2"])("%s reaches the environment's accessory by name", async (release) => {
    expect(await ask(release, "http://db:5432/")).toBe("db");
  });
});
