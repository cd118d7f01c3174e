import { describe, expect, it } from "vitest";
import { developerSettings, inferComposeFiles, type ProjectFiles } from "./compose-layout.js";

const lines = (...rows: string[]): string => rows.join("\n") + "\n";

function filesOf(tree: Record<string, string>, directories: string[] = []): ProjectFiles {
  return {
    exists: (file) => Object.hasOwn(tree, file),
    read: (file) => (Object.hasOwn(tree, file) ? tree[file] : undefined),
    isDirectory: (path) => directories.includes(path),
  };
}

/** A development base: the developer's env file, the source mounted over the image's. */
const DEV_BASE = lines(
  "services:",
  "  web:",
  "    build: ./backend",
  "    env_file: .env.dev",
  "    volumes:",
  "      - ./backend:/app",
  "    ports: ['8000:8000']",
  "  db:",
  "    image: postgres:16",
);
/** A production file that stands alone: every service has its own build: or image:. */
const STANDALONE_PROD = lines("services:", "  web:", "    build: ./backend", "    image: shop-web:${TAG}", "    ports: ['8000:8000']", "  db:", "    image: postgres:16");
/** The usual override: it only changes what the base defines. */
const PARTIAL_PROD = lines("services:", "  web:", "    image: shop-web:${TAG}", "    restart: always", "  release:", "    extends: web", "    command: migrate");

describe("inferComposeFiles", () => {
  it.each<{ name: string; tree: Record<string, string>; directories?: string[]; env?: string; expected: unknown }>([
    {
      name: "only a docker-compose.prod.yml",
      tree: { "docker-compose.prod.yml": STANDALONE_PROD },
      expected: { ok: true, files: ["docker-compose.prod.yml"], reason: "docker-compose.prod.yml is the only compose file for production" },
    },
    {
      name: "only a docker-compose.production.yml",
      tree: { "docker-compose.production.yml": STANDALONE_PROD },
      expected: { ok: true, files: ["docker-compose.production.yml"], reason: "docker-compose.production.yml is the only compose file for production" },
    },
    {
      name: "a development base beside a standalone prod file: the prod file alone",
      tree: { "docker-compose.yml": DEV_BASE, "docker-compose.prod.yml": STANDALONE_PROD },
      expected: {
        ok: true,
        files: ["docker-compose.prod.yml"],
        reason: "docker-compose.prod.yml alone: it defines every service itself, and docker-compose.yml is for development (env_file .env.dev, a bind mount of ./backend), which merging would carry into production",
      },
    },
    {
      name: "the usual base and override pair",
      tree: { "docker-compose.yml": DEV_BASE, "docker-compose.prod.yml": PARTIAL_PROD },
      expected: {
        ok: true,
        files: ["docker-compose.yml", "docker-compose.prod.yml"],
        reason: "docker-compose.yml with its production override docker-compose.prod.yml, merged in that order (docker compose -f docker-compose.yml -f docker-compose.prod.yml)",
      },
    },
    {
      name: "a complete prod file beside a base with nothing of a developer's: still the pair",
      tree: { "docker-compose.yml": lines("services:", "  web:", "    build: ./backend", "    env_file: web.env"), "web.env": "A=1\n", "docker-compose.prod.yml": STANDALONE_PROD },
      expected: {
        ok: true,
        files: ["docker-compose.yml", "docker-compose.prod.yml"],
        reason: "docker-compose.yml with its production override docker-compose.prod.yml, merged in that order (docker compose -f docker-compose.yml -f docker-compose.prod.yml)",
      },
    },
    {
      name: "a prod file that builds nothing does not stand alone",
      tree: { "docker-compose.yml": DEV_BASE, "docker-compose.prod.yml": lines("services:", "  web:", "    image: shop-web:${TAG}", "  db:", "    image: postgres:16") },
      expected: {
        ok: true,
        files: ["docker-compose.yml", "docker-compose.prod.yml"],
        reason: "docker-compose.yml with its production override docker-compose.prod.yml, merged in that order (docker compose -f docker-compose.yml -f docker-compose.prod.yml)",
      },
    },
    {
      name: "a base alone",
      tree: { "compose.yaml": DEV_BASE },
      env: "staging",
      expected: { ok: true, files: ["compose.yaml"], reason: "compose.yaml alone: there is no staging override beside it (compose.staging.yml)" },
    },
    {
      name: "nothing",
      tree: { "README.md": "" },
      expected: { ok: false, problem: "no compose file found: create docker-compose.yml (or compose.yaml), or list your files under compose: in slipway.yml" },
    },
  ])("$name", ({ tree, directories, env, expected }) => {
    expect(inferComposeFiles(env ?? "production", filesOf(tree, directories))).toEqual(expected);
  });
});

describe("developerSettings", () => {
  it.each<{ name: string; text: string; tree?: Record<string, string>; directories?: string[]; found: string[] }>([
    { name: "a developer's env file by name, even present", text: lines("services:", "  a:", "    image: x", "    env_file: [.env.local]"), tree: { ".env.local": "" }, found: ["env_file .env.local"] },
    { name: "an env file the checkout lacks", text: lines("services:", "  a:", "    image: x", "    env_file: secrets.env"), found: ["env_file secrets.env"] },
    { name: "a missing env file that is not required", text: lines("services:", "  a:", "    image: x", "    env_file: [{ path: secrets.env, required: false }]"), found: [] },
    { name: "a committed env file", text: lines("services:", "  a:", "    image: x", "    env_file: web.env"), tree: { "web.env": "" }, found: [] },
    { name: "the project mounted whole", text: lines("services:", "  a:", "    image: x", "    volumes: ['.:/code:cached']"), found: ["a bind mount of ."] },
    { name: "a build context mounted (long syntax)", text: lines("services:", "  a:", "    build: { context: ./api }", "    volumes:", "      - { type: bind, source: ./api/, target: /app }"), found: ["a bind mount of ./api/"] },
    { name: "a source directory inside the context", text: lines("services:", "  a:", "    build: .", "    volumes: ['./src:/app/src']"), directories: ["src"], found: ["a bind mount of ./src"] },
    { name: "a config file is not the source", text: lines("services:", "  a:", "    build: .", "    volumes: ['./nginx.conf:/etc/nginx/nginx.conf:ro']"), found: [] },
    { name: "named volumes are not binds", text: lines("services:", "  a:", "    build: .", "    volumes: ['data:/data']"), found: [] },
    { name: "YAML that does not parse", text: "services: [\n", found: [] },
  ])("$name", ({ text, tree, directories, found }) => {
    expect(developerSettings(text, filesOf(tree ?? {}, directories))).toEqual(found);
  });
});

describe("inferComposeFiles and compose's own override file", () => {
  it("says docker-compose.override.yml is left out", () => {
    const tree = { "docker-compose.yml": PARTIAL_PROD, "docker-compose.override.yml": DEV_BASE };
    expect(inferComposeFiles("production", filesOf(tree))).toEqual({
      ok: true,
      files: ["docker-compose.yml"],
      reason: "docker-compose.yml alone: there is no production override beside it (docker-compose.prod.yml); docker-compose.override.yml is left out, as compose leaves it out whenever files are named",
    });
  });
});
