import { describe, expect, it } from "vitest";
import { chooseComposeFiles, chooseEnvironment, chooseProfiles, composeFileList } from "./compose-files.js";
import type { EnvironmentConfig, SlipwayConfig } from "./slipway-schema.js";

const config = (extra: Partial<SlipwayConfig> = {}): SlipwayConfig => ({ retain: 5, ...extra });

describe("chooseComposeFiles", () => {
  it.each<{ name: string; present: string[]; env: string; files: string[] }>([
    { name: "compose.yaml wins over every other base", present: ["docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"], env: "qa", files: ["compose.yaml"] },
    { name: "compose.yml before docker-compose.*", present: ["docker-compose.yml", "docker-compose.yaml", "compose.yml"], env: "qa", files: ["compose.yml"] },
    { name: "docker-compose.yaml before docker-compose.yml", present: ["docker-compose.yml", "docker-compose.yaml"], env: "qa", files: ["docker-compose.yaml"] },
    { name: "docker-compose.yml alone", present: ["docker-compose.yml"], env: "qa", files: ["docker-compose.yml"] },
    { name: "production finds the prod override", present: ["docker-compose.yml", "docker-compose.prod.yml"], env: "production", files: ["docker-compose.yml", "docker-compose.prod.yml"] },
    { name: "production finds the production override", present: ["docker-compose.yml", "docker-compose.production.yml"], env: "production", files: ["docker-compose.yml", "docker-compose.production.yml"] },
    { name: "prod finds the production override", present: ["docker-compose.yml", "docker-compose.production.yaml"], env: "prod", files: ["docker-compose.yml", "docker-compose.production.yaml"] },
    { name: "prod is preferred to production", present: ["docker-compose.yml", "docker-compose.production.yml", "docker-compose.prod.yml"], env: "production", files: ["docker-compose.yml", "docker-compose.prod.yml"] },
    { name: ".yml is preferred to .yaml for one suffix", present: ["docker-compose.yml", "docker-compose.prod.yaml", "docker-compose.prod.yml"], env: "prod", files: ["docker-compose.yml", "docker-compose.prod.yml"] },
    { name: "development ↔ dev", present: ["compose.yaml", "compose.dev.yaml"], env: "development", files: ["compose.yaml", "compose.dev.yaml"] },
    { name: "staging ↔ stage", present: ["compose.yaml", "compose.stage.yml"], env: "staging", files: ["compose.yaml", "compose.stage.yml"] },
    { name: "any other environment uses its own name", present: ["docker-compose.yml", "docker-compose.qa.yml"], env: "qa", files: ["docker-compose.yml", "docker-compose.qa.yml"] },
    { name: "no alias for an unlisted name", present: ["docker-compose.yml", "docker-compose.prod.yml"], env: "preview", files: ["docker-compose.yml"] },
    { name: "compose. base ignores docker-compose. overrides", present: ["compose.yaml", "docker-compose.prod.yml"], env: "production", files: ["compose.yaml"] },
    { name: "docker-compose. base ignores compose. overrides", present: ["docker-compose.yml", "compose.prod.yaml"], env: "production", files: ["docker-compose.yml"] },
    { name: "an override without a base is not a base", present: ["compose.prod.yaml", "compose.yaml"], env: "staging", files: ["compose.yaml"] },
    { name: "only the production override: it alone", present: ["docker-compose.prod.yml"], env: "production", files: ["docker-compose.prod.yml"] },
    { name: "only a .production.yml: it alone", present: ["docker-compose.production.yml"], env: "production", files: ["docker-compose.production.yml"] },
    { name: "only overrides: compose. first", present: ["docker-compose.prod.yml", "compose.prod.yaml"], env: "production", files: ["compose.prod.yaml"] },
  ])("inferred: $name", ({ present, env, files }) => {
    const exists = (file: string): boolean => present.includes(file);
    const choice = chooseComposeFiles({ config: config(), environmentName: env, environment: undefined, exists });
    expect(choice.ok && { files: choice.files, origin: choice.origin }).toEqual({ files, origin: "inferred" });
  });

  it.each<{ name: string; top?: string[]; perEnv?: string[]; files: string[]; reason: string }>([
    { name: "top-level list", top: ["a.yml", "b.yml"], files: ["a.yml", "b.yml"], reason: "compose: in slipway.yml" },
    { name: "per-environment list", perEnv: ["p.yml"], files: ["p.yml"], reason: "environments.production.compose in slipway.yml" },
    { name: "per-environment list wins over the top-level one", top: ["a.yml"], perEnv: ["p.yml", "q.yml"], files: ["p.yml", "q.yml"], reason: "environments.production.compose in slipway.yml" },
  ])("declared: $name", ({ top, perEnv, files, reason }) => {
    const checked: string[] = [];
    const exists = (file: string): boolean => {
      checked.push(file);
      return true;
    };
    const environment: EnvironmentConfig | undefined = perEnv ? { compose: perEnv } : undefined;
    const composeEnv = { COMPOSE_FILE: "env.yml" };
    const choice = chooseComposeFiles({ config: config(top ? { compose: top } : {}), environmentName: "production", environment, exists, composeEnv });
    expect(choice).toEqual({ ok: true, files, origin: "slipway.yml", reason });
    expect(checked).toEqual([]);
  });

  it("an environment without its own list falls back to the top-level list", () => {
    const choice = chooseComposeFiles({ config: config({ compose: ["a.yml"] }), environmentName: "staging", environment: { branch: "dev" }, exists: () => false });
    expect(choice).toEqual({ ok: true, files: ["a.yml"], origin: "slipway.yml", reason: "compose: in slipway.yml" });
  });

  it.each<{ name: string; files?: string[]; top?: string[]; composeEnv?: Record<string, string>; expected: unknown }>([
    { name: "-f wins over slipway.yml and COMPOSE_FILE", files: ["x.yml", "y.yml"], top: ["a.yml"], composeEnv: { COMPOSE_FILE: "e.yml" }, expected: { ok: true, files: ["x.yml", "y.yml"], origin: "--file", reason: "given with -f" } },
    { name: "COMPOSE_FILE when slipway.yml names none", composeEnv: { COMPOSE_FILE: "a.yml:sub/b.yml" }, expected: { ok: true, files: ["a.yml", "sub/b.yml"], origin: "COMPOSE_FILE", reason: "COMPOSE_FILE=a.yml:sub/b.yml" } },
    { name: "COMPOSE_PATH_SEPARATOR", composeEnv: { COMPOSE_FILE: "a.yml;b.yml", COMPOSE_PATH_SEPARATOR: ";" }, expected: { ok: true, files: ["a.yml", "b.yml"], origin: "COMPOSE_FILE", reason: "COMPOSE_FILE=a.yml;b.yml" } },
    { name: "empty entries of COMPOSE_FILE are skipped", composeEnv: { COMPOSE_FILE: ":a.yml::" }, expected: { ok: true, files: ["a.yml"], origin: "COMPOSE_FILE", reason: "COMPOSE_FILE=:a.yml::" } },
    { name: "an empty COMPOSE_FILE is none", composeEnv: { COMPOSE_FILE: "" }, expected: { ok: true, files: ["docker-compose.yml"], origin: "inferred", reason: "docker-compose.yml alone: there is no production override beside it (docker-compose.prod.yml)" } },
    { name: "slipway.yml wins over COMPOSE_FILE", top: ["a.yml"], composeEnv: { COMPOSE_FILE: "e.yml" }, expected: { ok: true, files: ["a.yml"], origin: "slipway.yml", reason: "compose: in slipway.yml" } },
    { name: "an empty -f list is none", files: [], expected: { ok: true, files: ["docker-compose.yml"], origin: "inferred", reason: "docker-compose.yml alone: there is no production override beside it (docker-compose.prod.yml)" } },
  ])("precedence: $name", ({ files, top, composeEnv, expected }) => {
    const choice = chooseComposeFiles({
      config: config(top ? { compose: top } : {}),
      environmentName: "production",
      environment: undefined,
      exists: (f) => f === "docker-compose.yml",
      ...(files ? { files } : {}),
      ...(composeEnv ? { composeEnv } : {}),
    });
    expect(choice).toEqual(expected);
  });

  it.each<{ name: string; present: string[] }>([
    { name: "nothing at all", present: [] },
    { name: "only another environment's override", present: ["docker-compose.staging.yml", "compose.dev.yaml"] },
    { name: "a differently named file", present: ["compose.yml.bak", "Docker-Compose.yml"] },
  ])("no base file is a problem: $name", ({ present }) => {
    const choice = chooseComposeFiles({ config: config(), environmentName: "production", environment: undefined, exists: (f) => present.includes(f) });
    expect(choice.ok).toBe(false);
    if (!choice.ok) expect(choice.problem.startsWith("no compose file found")).toBe(true);
  });
});

describe("composeFileList", () => {
  it.each([
    { value: "a.yml:b.yml", separator: undefined, files: ["a.yml", "b.yml"] },
    { value: "a.yml;b.yml", separator: ";", files: ["a.yml", "b.yml"] },
    { value: "a.yml;b.yml", separator: "", files: ["a.yml;b.yml"] },
    { value: " a.yml : b.yml ", separator: undefined, files: ["a.yml", "b.yml"] },
  ])("$value with separator $separator", ({ value, separator, files }) => {
    expect(composeFileList(value, separator)).toEqual(files);
  });
});

describe("chooseProfiles", () => {
  it.each<{ name: string; flags?: string[]; top?: Partial<SlipwayConfig>; environment?: EnvironmentConfig; composeEnv?: Record<string, string>; expected: unknown }>([
    { name: "none named: every service", expected: { reason: "no profile named: every service is read, whatever its profiles" } },
    { name: "--profile wins", flags: ["a", "b"], top: { profiles: ["c"] }, composeEnv: { COMPOSE_PROFILES: "d" }, expected: { profiles: ["a", "b"], reason: "given with --profile" } },
    { name: "the environment's profiles", top: { profiles: ["c"] }, environment: { profiles: ["e"] }, expected: { profiles: ["e"], reason: "environments.production.profiles in slipway.yml" } },
    { name: "slipway.yml's profiles over COMPOSE_PROFILES", top: { profiles: ["c"] }, composeEnv: { COMPOSE_PROFILES: "d" }, expected: { profiles: ["c"], reason: "profiles: in slipway.yml" } },
    { name: "COMPOSE_PROFILES, comma-separated", composeEnv: { COMPOSE_PROFILES: "worker, jobs,," }, expected: { profiles: ["worker", "jobs"], reason: "COMPOSE_PROFILES=worker, jobs,," } },
    { name: "COMPOSE_PROFILES ignored when slipway.yml names the files", top: { compose: ["a.yml"] }, composeEnv: { COMPOSE_PROFILES: "worker" }, expected: { reason: "no profile named: every service is read, whatever its profiles" } },
  ])("$name", ({ flags, top, environment, composeEnv, expected }) => {
    const choice = chooseProfiles({ config: config(top ?? {}), environmentName: "production", environment, ...(flags ? { profiles: flags } : {}), ...(composeEnv ? { composeEnv } : {}) });
    expect(choice).toEqual(expected);
  });
});

describe("chooseEnvironment", () => {
  const declared = (environments: Record<string, EnvironmentConfig>): SlipwayConfig => config({ environments });

  it.each<{ name: string; config: SlipwayConfig; requested: string | undefined; chosen: string; environment: EnvironmentConfig | undefined }>([
    { name: "explicit, nothing declared", config: config(), requested: "staging", chosen: "staging", environment: undefined },
    { name: "explicit and declared", config: declared({ staging: { branch: "dev" }, production: {} }), requested: "staging", chosen: "staging", environment: { branch: "dev" } },
    { name: "explicit beats the default", config: declared({ staging: {}, production: { default: true } }), requested: "staging", chosen: "staging", environment: {} },
    { name: "explicit with digits, - and _", config: config(), requested: "pr-12_a", chosen: "pr-12_a", environment: undefined },
    { name: "fallback production, nothing declared", config: config(), requested: undefined, chosen: "production", environment: undefined },
    { name: "fallback production, declared without default", config: declared({ production: { branch: "main" }, staging: {} }), requested: undefined, chosen: "production", environment: { branch: "main" } },
    { name: "fallback production even if undeclared", config: declared({ staging: {} }), requested: undefined, chosen: "production", environment: undefined },
    { name: "default: true", config: declared({ production: {}, staging: { default: true } }), requested: undefined, chosen: "staging", environment: { default: true } },
    { name: "default: false is not a default", config: declared({ staging: { default: false }, production: {} }), requested: undefined, chosen: "production", environment: {} },
  ])("$name", ({ config: cfg, requested, chosen, environment }) => {
    expect(chooseEnvironment(cfg, requested)).toEqual({ ok: true, name: chosen, environment });
  });

  it.each<{ name: string; config: SlipwayConfig; requested: string | undefined; prefix: string; mentions: string[] }>([
    { name: "uppercase name", config: config(), requested: "Prod", prefix: '--env "Prod": use lowercase', mentions: [] },
    { name: "name with a dot", config: config(), requested: "a.b", prefix: '--env "a.b": use lowercase', mentions: [] },
    { name: "empty name", config: config(), requested: "", prefix: '--env "": use lowercase', mentions: [] },
    { name: "leading -", config: config(), requested: "-x", prefix: '--env "-x": use lowercase', mentions: [] },
    { name: "undeclared when some are declared", config: declared({ production: {}, staging: {} }), requested: "qa", prefix: '--env "qa": slipway.yml declares', mentions: ["production, staging"] },
    { name: "two defaults", config: declared({ a: { default: true }, b: {}, c: { default: true } }), requested: undefined, prefix: "environments: a and c are both marked default", mentions: [] },
  ])("problem: $name", ({ config: cfg, requested, prefix, mentions }) => {
    const choice = chooseEnvironment(cfg, requested);
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.problem.startsWith(prefix)).toBe(true);
    for (const text of mentions) expect(choice.problem).toContain(text);
  });
});
