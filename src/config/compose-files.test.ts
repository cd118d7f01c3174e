import { describe, expect, it } from "vitest";
import { chooseComposeFiles, chooseEnvironment } from "./compose-files.js";
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
  ])("inferred: $name", ({ present, env, files }) => {
    const exists = (file: string): boolean => present.includes(file);
    expect(chooseComposeFiles({ config: config(), environmentName: env, environment: undefined, exists })).toEqual({ ok: true, files, inferred: true });
  });

  it.each<{ name: string; top?: string[]; perEnv?: string[]; files: string[] }>([
    { name: "top-level list", top: ["a.yml", "b.yml"], files: ["a.yml", "b.yml"] },
    { name: "per-environment list", perEnv: ["p.yml"], files: ["p.yml"] },
    { name: "per-environment list wins over the top-level one", top: ["a.yml"], perEnv: ["p.yml", "q.yml"], files: ["p.yml", "q.yml"] },
  ])("declared: $name", ({ top, perEnv, files }) => {
    const checked: string[] = [];
    const exists = (file: string): boolean => {
      checked.push(file);
      return true;
    };
    const environment: EnvironmentConfig | undefined = perEnv ? { compose: perEnv } : undefined;
    const choice = chooseComposeFiles({ config: config(top ? { compose: top } : {}), environmentName: "production", environment, exists });
    expect(choice).toEqual({ ok: true, files, inferred: false });
    expect(checked).toEqual([]);
  });

  it("an environment without its own list falls back to the top-level list", () => {
    const choice = chooseComposeFiles({ config: config({ compose: ["a.yml"] }), environmentName: "staging", environment: { branch: "dev" }, exists: () => false });
    expect(choice).toEqual({ ok: true, files: ["a.yml"], inferred: false });
  });

  it.each<{ name: string; present: string[] }>([
    { name: "nothing at all", present: [] },
    { name: "only overrides", present: ["docker-compose.prod.yml", "compose.prod.yaml"] },
    { name: "a differently named file", present: ["compose.yml.bak", "Docker-Compose.yml"] },
  ])("no base file is a problem: $name", ({ present }) => {
    const choice = chooseComposeFiles({ config: config(), environmentName: "production", environment: undefined, exists: (f) => present.includes(f) });
    expect(choice.ok).toBe(false);
    if (!choice.ok) expect(choice.problem.startsWith("no compose file found")).toBe(true);
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
