/**
 * The preflight through the real entry point: every problem at once, each a paragraph that
 * says what to fix, exit 2, never a stack trace, and not one call to the engine.
 */
import { describe, expect, it } from "vitest";
import { slipway } from "../support/cli.js";
import { listenFakeEngine } from "../support/fake-engine.js";
import { tempProject } from "../support/temp-project.js";

const FIVE_MISSING = {
  "docker-compose.yml": [
    "services:",
    "  web:",
    "    build: .",
    "    image: web:${TAG}",
    '    ports: ["8000:8000"]',
    "    environment:",
    "      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app",
    "      MODE: ${MODE:-production}",
    "      CACHE: redis://${REDIS_HOST}:6379",
    "  db:",
    "    image: postgres",
    "",
  ].join("\n"),
  "docker-compose.prod.yml": [
    "services:",
    "  web:",
    "    environment:",
    "      SECRET_KEY: ${SECRET_KEY}",
    "      SENTRY_DSN: ${SENTRY_DSN:?set SENTRY_DSN to the project's DSN}",
    "  release:",
    "    build: .",
    "    command: migrate --password=$DB_PASSWORD_RELEASE",
    "    profiles: [release]",
    "",
  ].join("\n"),
  Dockerfile: "FROM busybox\n",
};

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/unexpected error/);
};

describe("slipway check: missing variables", () => {
  it("names all five with file:line:column, exits 2, and never calls the engine", async () => {
    using project = tempProject(FIVE_MISSING);
    await using engine = await listenFakeEngine();
    const result = await slipway(["check"], { cwd: project.dir, env: { DOCKER_HOST: engine.dockerHost, MODE: undefined } });
    expect(result.exitCode).toBe(2);
    noStackTrace(result.stderr);
    const reported = [...result.stderr.matchAll(/^\s+(\S+:\d+:\d+): variable (\w+) is not set/gm)].map((m) => `${m[2]} at ${m[1]}`);
    expect(reported).toEqual([
      "DB_PASSWORD at docker-compose.yml:7:36",
      "REDIS_HOST at docker-compose.yml:9:22",
      "SECRET_KEY at docker-compose.prod.yml:4:19",
      "SENTRY_DSN at docker-compose.prod.yml:5:19",
      "DB_PASSWORD_RELEASE at docker-compose.prod.yml:8:33",
    ]);
    expect(result.stderr).toContain("set SENTRY_DSN to the project's DSN");
    expect(result.stderr).toMatch(/^5 problems to fix:/m);
    expect(engine.connections()).toBe(0);
  });

  it("is deployable once the variables are set, and then asks the engine", async () => {
    using project = tempProject(FIVE_MISSING);
    await using engine = await listenFakeEngine();
    const env = { DOCKER_HOST: engine.dockerHost, DB_PASSWORD: "x", REDIS_HOST: "r", SECRET_KEY: "s", SENTRY_DSN: "d", DB_PASSWORD_RELEASE: "y" };
    const result = await slipway(["check"], { cwd: project.dir, env });
    // The fake engine hangs up: the check gets that far, reports the engine, and exits 4.
    expect(result.stderr).toMatch(/the Docker engine at unix:\/\/.* does not answer/);
    expect(result.exitCode).toBe(4);
    expect(engine.connections()).toBeGreaterThan(0);
  });
});

describe("slipway check: bad input is one paragraph saying what to fix", () => {
  const cases: Array<{ name: string; files: Record<string, string>; args?: string[]; expected: RegExp }> = [
    {
      name: "malformed YAML",
      files: { "docker-compose.yml": "services:\n  web:\n    build: .\n   image: [oops\n" },
      expected: /^\s*docker-compose\.yml:\d+:\d+: invalid YAML: /m,
    },
    {
      name: "a compose file that does not exist",
      files: { "docker-compose.yml": "services:\n  web:\n    image: busybox\n", "slipway.yml": "compose: [docker-compose.yml, docker-compose.missing.yml]\n" },
      expected: /compose file docker-compose\.missing\.yml does not exist \(listed in slipway\.yml\): create it or fix the list of files/,
    },
    {
      name: "no compose file at all",
      files: { "README.md": "nothing here\n" },
      expected: /no compose file found: create docker-compose\.yml/,
    },
    {
      name: "an unknown slipway.yml key",
      files: { "docker-compose.yml": "services:\n  web:\n    image: busybox\n", "slipway.yml": "project: shop\nretian: 3\n" },
      expected: /^\s*slipway\.yml:2:1: retian: unknown key; did you mean "retain"\?/m,
    },
    {
      name: "a ${VAR:?message} that fails",
      files: { "docker-compose.yml": "services:\n  web:\n    image: busybox\n    environment:\n      API_KEY: ${API_KEY:?get one from the dashboard}\n" },
      expected: /^\s*docker-compose\.yml:5:16: variable API_KEY is not set: get one from the dashboard/m,
    },
    {
      name: "an undeclared environment",
      files: { "docker-compose.yml": "services:\n  web:\n    image: busybox\n", "slipway.yml": "environments:\n  live: { default: true }\n" },
      args: ["--env", "staging"],
      expected: /--env "staging": slipway\.yml declares the environments live/,
    },
  ];

  it.each(cases)("$name", async ({ files, args, expected }) => {
    using project = tempProject(files);
    await using engine = await listenFakeEngine();
    const result = await slipway(["check", ...(args ?? [])], { cwd: project.dir, env: { DOCKER_HOST: engine.dockerHost, API_KEY: undefined } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(expected);
    noStackTrace(result.stderr);
    expect(result.stdout).toBe("");
    expect(engine.connections()).toBe(0);
  });

  it("a compose error that only compose finds is reported in compose's words", async () => {
    using project = tempProject({ "docker-compose.yml": "services:\n  web:\n    image: busybox\n    ports: 12\n" });
    await using engine = await listenFakeEngine();
    const result = await slipway(["check"], { cwd: project.dir, env: { DOCKER_HOST: engine.dockerHost } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/docker compose rejected the project: .*ports/);
    noStackTrace(result.stderr);
    expect(engine.connections()).toBe(0);
  });
});
