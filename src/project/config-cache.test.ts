/** The cache of validated slipway.yml texts, on disk, and loadProject reading through it. */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Git } from "../adapters/git.js";
import { readSlipwayConfig } from "../config/read-slipway-config.js";
import type { SlipwayConfig } from "../config/slipway-schema.js";
import { fileConfigCache, type ConfigCache } from "./config-cache.js";
import { loadProject } from "./load-project.js";

const root = mkdtempSync(join(tmpdir(), "slipway-config-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = (): string => join(root, `cache-${dirs++}`);

const TEXT = "project: shop\nroutes:\n  - service: web\n    port: 8000\n    healthcheck: { path: /up, interval: 500ms }\nenvironments:\n  live: { listen: 8080 }\n";

function validated(text: string): SlipwayConfig {
  const result = readSlipwayConfig("slipway.yml", text);
  if (!result.ok) throw new Error(`invalid test config: ${JSON.stringify(result.problems)}`);
  return result.config;
}

describe("fileConfigCache", () => {
  it("gives back exactly the config a text validated to", () => {
    const dir = newDir();
    const config = validated(TEXT);
    fileConfigCache({ dir, build: "b1" }).write(TEXT, config);
    // A new instance: another process, reading the entry from disk.
    expect(fileConfigCache({ dir, build: "b1" }).read(TEXT)).toStrictEqual(config);
  });

  it("has nothing for a text that changed, even by one character", () => {
    const cache = fileConfigCache({ dir: newDir(), build: "b1" });
    cache.write(TEXT, validated(TEXT));
    expect(cache.read(TEXT.replace("8080", "8081"))).toBeUndefined();
    expect(cache.read(`${TEXT}\n`)).toBeUndefined();
  });

  it("has nothing for another build, whose schema may read the same text otherwise", () => {
    const dir = newDir();
    fileConfigCache({ dir, build: "b1" }).write(TEXT, validated(TEXT));
    expect(fileConfigCache({ dir, build: "b2" }).read(TEXT)).toBeUndefined();
  });

  it("reads a damaged entry as none", () => {
    const dir = newDir();
    const cache = fileConfigCache({ dir, build: "b1" });
    cache.write(TEXT, validated(TEXT));
    const [entry] = readdirSync(dir);
    writeFileSync(join(dir, entry ?? ""), '{"project": "sh');
    expect(cache.read(TEXT)).toBeUndefined();
  });

  it("keeps no config that JSON would not give back unchanged", () => {
    const dir = newDir();
    const cache = fileConfigCache({ dir, build: "b1" });
    cache.write(TEXT, { ...validated(TEXT), drain: undefined });
    expect(cache.read(TEXT)).toBeUndefined();
  });

  it("keeps its entries private and at most max of them, dropping the oldest", () => {
    const dir = newDir();
    const cache = fileConfigCache({ dir, build: "b1", max: 2 });
    const texts = ["retain: 1\n", "retain: 2\n", "retain: 3\n"];
    for (const [i, text] of texts.entries()) {
      const before = new Set(existsSync(dir) ? readdirSync(dir) : []);
      cache.write(text, validated(text));
      // Each entry a minute younger than the one before, whatever the file system's timestamp resolution.
      const at = new Date(Date.now() - 60_000 * (texts.length - i));
      for (const name of readdirSync(dir).filter((n) => !before.has(n))) utimesSync(join(dir, name), at, at);
    }
    expect(readdirSync(dir)).toHaveLength(2);
    expect(cache.read("retain: 1\n")).toBeUndefined();
    expect(cache.read("retain: 3\n")).toEqual({ retain: 3 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
  });
});

describe("loadProject with a config cache", () => {
  const git: Git = {
    head: () => Promise.resolve({ commit: "0123456789abcdef0123456789abcdef01234567", dirty: false }),
    resolve: () => Promise.reject(new Error("unused")),
    prefix: () => Promise.reject(new Error("unused")),
    snapshot: () => Promise.reject(new Error("unused")),
    exportTree: () => Promise.reject(new Error("unused")),
    remoteUrl: () => Promise.reject(new Error("unused")),
  };
  const project = (slipwayYml: string): string => {
    const dir = mkdtempSync(join(root, "project-"));
    writeFileSync(join(dir, "docker-compose.yml"), "services:\n  web:\n    image: shop-web:${TAG}\n");
    writeFileSync(join(dir, "slipway.yml"), slipwayYml);
    return dir;
  };

  it("validates once and then reads the same project from the cache", async () => {
    const dir = project(TEXT);
    const configCache = fileConfigCache({ dir: newDir(), build: "b1" });
    const first = await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git, configCache });
    expect(first.problems).toEqual([]);
    expect(configCache.read(TEXT)).toStrictEqual(first.project?.config);
    const again = await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git, configCache });
    expect(again).toStrictEqual(first);
  });

  it("uses what the cache holds for the file's text instead of validating it", async () => {
    const dir = project(TEXT);
    const stand: ConfigCache = { read: (text) => (text === TEXT ? { retain: 5, project: "from-cache" } : undefined), write: () => undefined };
    const loaded = await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git, configCache: stand });
    expect(loaded.project?.name).toBe("from-cache");
  });

  it("validates slipway.yml again once it changes, and reports what is wrong with it", async () => {
    const dir = project(TEXT);
    const configCache = fileConfigCache({ dir: newDir(), build: "b1" });
    expect((await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git, configCache })).project?.name).toBe("shop");
    writeFileSync(join(dir, "slipway.yml"), TEXT.replace("project: shop", "project: shop2"));
    expect((await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git, configCache })).project?.name).toBe("shop2");
    writeFileSync(join(dir, "slipway.yml"), `${TEXT}retian: 3\n`);
    for (let i = 0; i < 2; i++) {
      const broken = await loadProject({ dir, processEnv: {}, withoutCommit: true }, { git, configCache });
      expect(broken.project).toBeUndefined();
      expect(broken.problems.map((p) => p.code)).toEqual(["E_CONFIG_INVALID"]);
    }
  });
});
