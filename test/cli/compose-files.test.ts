/**
 * Choosing compose files the way compose does, through the real entry point: `slipway init` on
 * the usual layouts writes a slipway.yml that `slipway check` passes without an edit; `-f`,
 * `COMPOSE_FILE`, `COMPOSE_PROFILES` and `--profile` pick what compose reads.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { slipway } from "../support/cli.js";
import { listenFakeEngine } from "../support/fake-engine.js";
import { tempProject } from "../support/temp-project.js";

const lines = (...rows: string[]): string => rows.join("\n") + "\n";
const DOCKERFILE = "FROM busybox\n";
/** Nothing of the caller's shell may choose the files of these projects. */
const CLEAN = { COMPOSE_FILE: undefined, COMPOSE_PROFILES: undefined, COMPOSE_PATH_SEPARATOR: undefined, SECRET_KEY: undefined };

interface Layout {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly compose: string[];
  /** Every comment line of the written file, joined: it must say this. */
  readonly says: RegExp[];
  readonly services: Record<string, unknown>;
}

const layouts: Layout[] = [
  {
    name: "only a docker-compose.prod.yml",
    files: {
      "docker-compose.prod.yml": lines(
        "services:",
        "  web:",
        "    build: .",
        "    image: shop-web:${TAG}",
        "    ports: ['8000:8000']",
        "    environment:",
        "      SECRET_KEY: ${SECRET_KEY}",
        "  worker:",
        "    image: shop-web:${TAG}",
        "    command: ['worker']",
        "  release:",
        "    image: shop-web:${TAG}",
        "    command: ['migrate']",
        "    profiles: [release]",
        "  db:",
        "    image: postgres:16",
      ),
      Dockerfile: DOCKERFILE,
    },
    compose: ["docker-compose.prod.yml"],
    says: [/docker-compose\.prod\.yml is the only compose file for production/, /worker: \{ role: app \} +# runs web's image/],
    services: { web: { role: "app" }, worker: { role: "app" }, release: { role: "release" }, db: { role: "accessory" } },
  },
  {
    name: "a development docker-compose.yml beside a standalone docker-compose.prod.yml",
    files: {
      "docker-compose.yml": lines(
        "services:",
        "  web:",
        "    build: ./backend",
        "    env_file: .env.dev",
        "    volumes: ['./backend:/app']",
        "    ports: ['8000:8000']",
        "  db:",
        "    image: postgres:16",
        "    env_file: .env.dev",
      ),
      "docker-compose.prod.yml": lines(
        "services:",
        "  web:",
        "    build: ./backend",
        "    image: shop-web:${TAG}",
        "    ports: ['8000:8000']",
        "  scheduler:",
        "    image: shop-web:${TAG}",
        "    command: ['beat']",
        "  release:",
        "    image: shop-web:${TAG}",
        "    command: ['migrate']",
        "  db:",
        "    build: ./db",
        "    volumes: ['pgdata:/var/lib/postgresql/data']",
        "volumes:",
        "  pgdata:",
      ),
      "backend/Dockerfile": DOCKERFILE,
      "db/Dockerfile": DOCKERFILE,
    },
    compose: ["docker-compose.prod.yml"],
    says: [
      /docker-compose\.prod\.yml alone: it defines every service itself, and docker-compose\.yml is for development \(env_file \.env\.dev, a bind mount of \.\/backend\), which merging would carry into production/,
      /db: \{ role: accessory \} +# a named volume \(pgdata\) at \/var\/lib\/postgresql\/data: a data store/,
    ],
    services: { web: { role: "app" }, scheduler: { role: "app", stop_first: true }, release: { role: "release" }, db: { role: "accessory" } },
  },
  {
    name: "the usual base and override pair",
    files: {
      "docker-compose.yml": lines("services:", "  web:", "    build: .", "    image: shop-web:${TAG:-dev}", "    ports: ['8000:8000']", "  db:", "    image: postgres:16"),
      "docker-compose.prod.yml": lines("services:", "  web:", "    image: shop-web:${TAG}", "  release:", "    image: shop-web:${TAG}", "    command: ['migrate']", "    profiles: [release]"),
      Dockerfile: DOCKERFILE,
    },
    compose: ["docker-compose.yml", "docker-compose.prod.yml"],
    says: [/docker-compose\.yml with its production override docker-compose\.prod\.yml, merged in that order/],
    services: { web: { role: "app" }, db: { role: "accessory" }, release: { role: "release" } },
  },
];

describe("slipway init, then slipway check without an edit", () => {
  it.each(layouts)("$name", async (layout) => {
    using project = tempProject(layout.files, "shop");
    const init = await slipway(["init"], { cwd: project.dir, env: CLEAN });
    expect(init.stderr).toBe("");
    expect(init.exitCode).toBe(0);
    const text = readFileSync(join(project.dir, "slipway.yml"), "utf8");
    const written = parse(text) as { compose: string[]; services: Record<string, unknown> };
    expect(written.compose).toEqual(layout.compose);
    expect(written.services).toEqual(layout.services);
    // Comments wrap: match them as one text, and each service's comment on its own line.
    const comments = text.split("\n").filter((l) => l.startsWith("#")).map((l) => l.slice(2)).join(" ");
    for (const pattern of layout.says) expect(pattern.test(comments) || pattern.test(text), String(pattern)).toBe(true);

    await using engine = await listenFakeEngine({ version: "27.5.1" });
    const check = await slipway(["check"], { cwd: project.dir, env: { ...CLEAN, SECRET_KEY: "s", DOCKER_HOST: engine.dockerHost } });
    expect(check.stderr).toBe("");
    expect(check.stdout).toMatch(/^deployable \(compose [\d.]+, engine 27\.5\.1\)$/m);
    expect(check.exitCode).toBe(0);
  });
});

const PROFILED = {
  "a.yml": lines("services:", "  web:", "    build: .", "    image: shop-web:${TAG}", "  worker:", "    image: shop-web:${TAG}", "    profiles: [worker]", "  debug:", "    image: busybox", "    profiles: [debug]"),
  "sub/b.yml": lines("services:", "  release:", "    image: shop-web:${TAG}", "    profiles: [release]"),
  Dockerfile: DOCKERFILE,
};

interface View {
  compose_files: string[];
  compose_files_reason: string;
  profiles?: string[];
  slipway: { services: Record<string, { role: string; reason: string; image_of?: string }> };
}

async function view(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<View> {
  const result = await slipway(["config", "--format", "json", ...args], { cwd: dir, env: { ...CLEAN, ...env } });
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as View;
}

const roles = (v: View): Record<string, string> => Object.fromEntries(Object.entries(v.slipway.services).map(([name, s]) => [name, s.role]));

describe("compose files and profiles as compose picks them", () => {
  it("-f, repeated, in order; relative to -C", async () => {
    using project = tempProject(PROFILED, "shop");
    const v = await view(join(project.dir, ".."), ["-C", "shop", "-f", "a.yml", "--file", "sub/b.yml"]);
    expect(v.compose_files).toEqual(["a.yml", "sub/b.yml"]);
    expect(v.compose_files_reason).toBe("given with -f");
    expect(roles(v)).toEqual({ web: "app", worker: "app", debug: "accessory", release: "release" });
    expect(v.slipway.services.worker).toMatchObject({ reason: "runs web's image", image_of: "web" });
  });

  it("COMPOSE_FILE with compose's separator, from the environment or from .env", async () => {
    using project = tempProject({ ...PROFILED, ".env": "COMPOSE_FILE=a.yml:sub/b.yml\n" }, "shop");
    expect((await view(project.dir, [])).compose_files).toEqual(["a.yml", "sub/b.yml"]);
    const separated = await view(project.dir, [], { COMPOSE_FILE: "sub/b.yml;a.yml", COMPOSE_PATH_SEPARATOR: ";" });
    expect(separated.compose_files).toEqual(["sub/b.yml", "a.yml"]);
    expect(separated.compose_files_reason).toBe("COMPOSE_FILE=sub/b.yml;a.yml");
  });

  it("--profile and COMPOSE_PROFILES enable profiles; the release task is read whatever its profile", async () => {
    using project = tempProject(PROFILED, "shop");
    const files = ["-f", "a.yml", "-f", "sub/b.yml"];
    expect(roles(await view(project.dir, [...files, "--profile", "worker"]))).toEqual({ web: "app", worker: "app", release: "release" });
    const fromEnv = await view(project.dir, files, { COMPOSE_PROFILES: "debug" });
    expect(roles(fromEnv)).toEqual({ web: "app", debug: "accessory", release: "release" });
    expect(fromEnv.profiles).toEqual(["debug"]);
    expect(roles(await view(project.dir, files))).toEqual({ web: "app", worker: "app", debug: "accessory", release: "release" });
  });

  it("a -f file that does not exist is bad input that says where it was named", async () => {
    using project = tempProject(PROFILED, "shop");
    const result = await slipway(["check", "-f", "nope.yml"], { cwd: project.dir, env: CLEAN });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/compose file nope\.yml does not exist \(given with -f\)/);
  });

  it("init -f writes the files it was given", async () => {
    using project = tempProject(PROFILED, "shop");
    const result = await slipway(["init", "--stdout", "-f", "a.yml", "-f", "sub/b.yml", "--profile", "worker"], { cwd: project.dir, env: CLEAN });
    expect(result.exitCode).toBe(0);
    const written = parse(result.stdout) as { compose: string[]; profiles: string[]; services: Record<string, { role: string }> };
    expect(written.compose).toEqual(["a.yml", "sub/b.yml"]);
    expect(written.profiles).toEqual(["worker"]);
    expect(Object.keys(written.services)).toEqual(["web", "worker", "release"]);
    expect(result.stdout).toMatch(/^# Compose files, in merge order: given with -f\.$/m);
  });

  it.each(["check", "config", "plan", "init", "deploy", "rollback", "promote", "status", "releases", "logs", "down", "prune", "env list", "env set"])("slipway %s --help lists -f and --profile", async (command) => {
    const result = await slipway([...command.split(" "), "--help"], { cwd: project0() });
    expect(result.exitCode).toBe(0);
    // logs -f follows, as docker's and compose's do.
    expect(result.stdout).toContain(command === "logs" ? "--file <path>" : "-f, --file <path>");
    expect(result.stdout).toContain("--profile <name>");
  });
});

function project0(): string {
  return join(import.meta.dirname, "..");
}
