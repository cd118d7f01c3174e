/**
 * The build sees only the commit: a build context that resolves outside the repository (by "..",
 * as a folder beside it, or through a symlink) is bad input at `check` and at `deploy`, with
 * file and line, exit 2, before the engine is asked anything (so nothing is built).
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway } from "../support/cli.js";
import { listenFakeEngine } from "../support/fake-engine.js";
import { tempProject } from "../support/temp-project.js";

const compose = (build: string): string => ["services:", "  web:", `    build: ${build}`, '    ports: ["8080:80"]', ""].join("\n");

async function repository(build: string): Promise<ReturnType<typeof tempProject>> {
  const project = tempProject({ "docker-compose.yml": compose(build), Dockerfile: "FROM busybox\n" });
  const outside = join(project.dir, "..", "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "Dockerfile"), "FROM busybox\nCOPY secret.txt /\n");
  writeFileSync(join(outside, "secret.txt"), "an untracked host file\n");
  symlinkSync("../outside", join(project.dir, "link"));
  const git = (args: string[]) => runCommand("git", ["-C", project.dir, "-c", "user.email=t@slipway.invalid", "-c", "user.name=t", ...args]);
  await git(["init", "-q", "-b", "main"]);
  await git(["add", "-A"]);
  await git(["commit", "-q", "-m", "one"]);
  return project;
}

describe("a build context outside the repository", () => {
  it.each([
    { name: "..", build: "..", shown: ".." },
    { name: "a sibling folder", build: "../outside", shown: "../outside" },
    { name: "a symlink out of it", build: "./link", shown: "./link" },
  ])("$name: check and deploy exit 2 with file and line, and build nothing", async ({ build, shown }) => {
    using project = await repository(build);
    await using engine = await listenFakeEngine();
    const env = { DOCKER_HOST: engine.dockerHost, SLIPWAY_HOME: join(project.dir, "..", "home") };
    const checked = await slipway(["check"], { cwd: project.dir, env });
    expect(checked.exitCode, checked.stderr).toBe(2);
    expect(checked.stderr).toContain(`docker-compose.yml:3:12: services.web.build.context: ${shown} lies outside the repository ${project.dir}`);
    expect(checked.stderr).toMatch(/not deployable/);
    const deployed = await slipway(["deploy"], { cwd: project.dir, env });
    expect(deployed.exitCode, deployed.stderr).toBe(2);
    expect(deployed.stderr).toContain(`docker-compose.yml:3:12: services.web.build.context: ${shown} lies outside the repository`);
    expect(engine.connections()).toBe(0);
  });
});
