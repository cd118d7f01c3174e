/**
 * Compose files over the size limit are refused before anything reads them: exit 2 at once, and
 * `docker compose config` never runs (a recording stand-in for compose says what was asked).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPOSE_FILES_LIMIT, composeSizeProblem } from "../../src/project/compose-size.js";
import { slipway } from "../support/cli.js";
import { listenFakeEngine } from "../support/fake-engine.js";
import { tempProject } from "../support/temp-project.js";

const COMPOSE = "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n";

/** Compose padded with a comment to `bytes` in all. */
const padded = (bytes: number): string => `${COMPOSE}#${"x".repeat(bytes - COMPOSE.length - 2)}\n`;

describe("compose files over the limit", () => {
  it("counts all the environment's files together", () => {
    using project = tempProject({ "docker-compose.yml": padded(700_000), "docker-compose.prod.yml": padded(400_000) });
    expect(composeSizeProblem(project.dir, ["docker-compose.yml"])).toBeUndefined();
    const problem = composeSizeProblem(project.dir, ["docker-compose.yml", "docker-compose.prod.yml"]);
    expect(problem?.code).toBe("E_COMPOSE_INVALID");
    expect(problem?.message).toMatch(/hold 1\.05 MiB together, more than the 1 MiB Slipway reads \(docker-compose\.yml: 0\.67 MiB\)/);
  });

  it("are refused by check with exit 2, before compose or the engine is asked anything about them", async () => {
    using project = tempProject({ "docker-compose.yml": padded(5 * COMPOSE_FILES_LIMIT), Dockerfile: "FROM busybox\n" });
    const calls = join(project.dir, "..", "compose-calls");
    const fake = join(project.dir, "..", "fake-compose");
    writeFileSync(fake, `#!/bin/sh\necho "$*" >>"${calls}"\n[ "$1" = version ] && echo 2.26.1\nexit 0\n`);
    chmodSync(fake, 0o755);
    await using engine = await listenFakeEngine();
    const began = Date.now();
    const result = await slipway(["check"], { cwd: project.dir, env: { SLIPWAY_COMPOSE: fake, DOCKER_HOST: engine.dockerHost } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/the compose files \(docker-compose\.yml\) hold 5 MiB together, more than the 1 MiB Slipway reads/);
    expect(Date.now() - began).toBeLessThan(10_000);
    const asked = existsSync(calls) ? readFileSync(calls, "utf8") : "";
    expect(asked).not.toMatch(/config/);
    expect(engine.connections()).toBe(0);
  });
});
