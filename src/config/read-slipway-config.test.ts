import { describe, expect, it } from "vitest";
import { readSlipwayConfig } from "./read-slipway-config.js";
import type { SlipwayConfig } from "./slipway-schema.js";

const FILE = "slipway.yml";
const lines = (...rows: string[]): string => rows.join("\n") + "\n";

function configOf(text: string): SlipwayConfig {
  const result = readSlipwayConfig(FILE, text);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** [line, column, message] of every problem. */
function problemsOf(text: string): Array<[number, number, string]> {
  const result = readSlipwayConfig(FILE, text);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.config)}`);
  for (const p of result.problems) expect(p.position.file).toBe(FILE);
  return result.problems.map((p) => [p.position.line, p.position.column, p.message]);
}

describe("readSlipwayConfig: valid configs", () => {
  it("parses a full config with defaults applied and durations in milliseconds", () => {
    const text = lines(
      "project: shop-2",
      "compose: [compose.yaml, compose.prod.yaml]",
      "release:",
      "  service: migrate",
      "  timeout: 10m",
      "routes:",
      "  - service: web",
      "    port: 8000",
      "    listen: 8080",
      "    hosts: [shop.example.com]",
      "    healthcheck:",
      "      path: /up",
      "      interval: 500ms",
      "      timeout: 3",
      "      deadline: 1h",
      "  - service: api",
      "    port: 9000",
      "    healthcheck: {}",
      "services:",
      "  cron: {role: app, stop_first: true}",
      "environments:",
      "  production: {default: true, branch: main, hosts: [a.example], listen: 443}",
      "  staging: {compose: [compose.yaml]}",
      "retain: 3",
    );
    expect(configOf(text)).toEqual({
      project: "shop-2",
      compose: ["compose.yaml", "compose.prod.yaml"],
      release: { service: "migrate", timeout: 600_000 },
      routes: [
        {
          service: "web",
          port: 8000,
          listen: 8080,
          hosts: ["shop.example.com"],
          healthcheck: { path: "/up", interval: 500, timeout: 3000, passes: 2, deadline: 3_600_000 },
        },
        { service: "api", port: 9000, healthcheck: { interval: 1000, timeout: 2000, passes: 2, deadline: 60_000 } },
      ],
      services: { cron: { role: "app", stop_first: true } },
      environments: {
        production: { default: true, branch: "main", hosts: ["a.example"], listen: 443 },
        staging: { compose: ["compose.yaml"] },
      },
      retain: 3,
    });
  });

  it.each<{ name: string; text: string; expected: Partial<SlipwayConfig> }>([
    { name: "an empty file", text: "", expected: { retain: 5 } },
    { name: "only comments", text: lines("# nothing yet"), expected: { retain: 5 } },
    { name: "release: false", text: lines("release: false"), expected: { release: false, retain: 5 } },
    { name: "release: {} takes its defaults", text: lines("release: {}"), expected: { release: { service: "release", timeout: 600_000 }, retain: 5 } },
    { name: "a fractional number of seconds", text: lines("release: {timeout: 1.5}"), expected: { release: { service: "release", timeout: 1500 }, retain: 5 } },
    { name: "a duration string in seconds", text: lines("release: {timeout: 45s}"), expected: { release: { service: "release", timeout: 45_000 }, retain: 5 } },
  ])("$name", ({ text, expected }) => {
    expect(configOf(text)).toEqual(expected);
  });
});

describe("readSlipwayConfig: problems", () => {
  it.each<{ name: string; text: string; problems: Array<[number, number, string]> }>([
    {
      name: "misspelt top-level key, at the key itself",
      text: lines("project: shop", "retian: 3"),
      problems: [[2, 1, 'retian: unknown key; did you mean "retain"?']],
    },
    {
      name: "misspelt key inside release (a union with false)",
      text: lines("release:", "  servce: migrate"),
      problems: [[2, 3, 'release.servce: unknown key; did you mean "service"?']],
    },
    {
      name: "misspelt key inside a services record",
      text: lines("services:", "  web:", "    rol: app"),
      problems: [[3, 5, 'services.web.rol: unknown key; did you mean "role"?']],
    },
    {
      name: "misspelt key inside an environments record",
      text: lines("environments:", "  prod:", "    defualt: true"),
      problems: [[3, 5, 'environments.prod.defualt: unknown key; did you mean "default"?']],
    },
    {
      name: "misspelt key in a flow mapping",
      text: lines("routes:", "  - {service: web, port: 80, hots: [a]}"),
      problems: [[2, 30, 'routes.0.hots: unknown key; did you mean "hosts"?']],
    },
  ])("$name", ({ text, problems }) => {
    expect(problemsOf(text)).toEqual(problems);
  });

  it("unknown nested key under routes[n].healthcheck has the full path and its own position", () => {
    const text = lines("routes:", "  - service: web", "    port: 80", "  - service: api", "    port: 81", "    healthcheck:", "      passes: 1", "      foo: 1");
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem?.slice(0, 2)).toEqual([8, 7]);
    expect(problem?.[2].startsWith("routes.1.healthcheck.foo: unknown key")).toBe(true);
  });

  it.each<{ name: string; text: string; path: string; known: string[] }>([
    { name: "top level", text: lines("zzzzqqq: 1"), path: "zzzzqqq", known: ["project", "compose", "profiles", "release", "routes", "previews", "services", "environments", "mirror_of", "retain", "keep_previous", "secrets", "acme", "cache", "drain"] },
    { name: "healthcheck", text: lines("routes: [{service: w, port: 1, healthcheck: {foo: 1}}]"), path: "routes.0.healthcheck.foo", known: ["path", "interval", "timeout", "passes", "deadline"] },
  ])("an unknown key with nothing close lists the known keys ($name)", ({ text, path, known }) => {
    const [problem] = problemsOf(text);
    expect(problem?.[2]).toBe(`${path}: unknown key; known keys here: ${known.join(", ")}`);
  });

  it("a missing required key is reported with its path", () => {
    const [problem, ...rest] = problemsOf(lines("routes:", "  - service: web"));
    expect(rest).toEqual([]);
    expect(problem?.[2].startsWith("routes.0.port: ")).toBe(true);
  });

  it("reports every unknown key, each at its own line", () => {
    expect(problemsOf(lines("retian: 1", "project: x", "projet: y")).map(([line, column, message]) => [line, column, message.split(":")[0]])).toEqual([
      [1, 1, "retian"],
      [3, 1, "projet"],
    ]);
  });

  it.each<{ name: string; text: string; problems: Array<[number, number, string]> }>([
    { name: "retain as a string", text: lines("retain: '5'"), problems: [[1, 9, "retain: "]] },
    { name: "retain below 1", text: lines("retain: 0"), problems: [[1, 9, "retain: "]] },
    { name: "retain not an integer", text: lines("retain: 2.5"), problems: [[1, 9, "retain: "]] },
    { name: "compose as a string", text: lines("compose: docker-compose.yml"), problems: [[1, 10, "compose: "]] },
    { name: "empty compose list", text: lines("compose: []"), problems: [[1, 10, "compose: "]] },
    { name: "port out of range", text: lines("routes:", "  - service: web", "    port: 70000"), problems: [[3, 11, "routes.0.port: "]] },
    { name: "healthcheck path without /", text: lines("routes: [{service: w, port: 1, healthcheck: {path: up}}]"), problems: [[1, 52, "routes.0.healthcheck.path: "]] },
    { name: "unknown role", text: lines("services: {web: {role: boss}}"), problems: [[1, 24, "services.web.role: "]] },
    { name: "a scalar document", text: lines("hello"), problems: [[1, 1, "(top level): "]] },
    { name: "a list document", text: lines("- a"), problems: [[1, 1, "(top level): "]] },
  ])("wrong type: $name", ({ text, problems }) => {
    const found = problemsOf(text);
    expect(found.map(([line, column]) => [line, column])).toEqual(problems.map(([line, column]) => [line, column]));
    found.forEach(([, , message], i) => expect(message.startsWith(problems[i]?.[2] ?? "\0")).toBe(true));
  });

  it.each<{ name: string; text: string; at: [number, number]; path: string; value: string }>([
    { name: "unknown unit", text: lines("routes:", "  - service: web", "    port: 80", "    healthcheck:", "      interval: 10x"), at: [5, 17], path: "routes.0.healthcheck.interval", value: "10x" },
    { name: "negative seconds", text: lines("routes: [{service: w, port: 1, healthcheck: {deadline: -1}}]"), at: [1, 56], path: "routes.0.healthcheck.deadline", value: "-1" },
    { name: "unit without amount", text: lines("routes: [{service: w, port: 1, healthcheck: {timeout: ms}}]"), at: [1, 55], path: "routes.0.healthcheck.timeout", value: "ms" },
  ])("invalid duration: $name", ({ text, at, path, value }) => {
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem?.slice(0, 2)).toEqual(at);
    expect(problem?.[2].startsWith(`${path}: "${value}" is not a duration`)).toBe(true);
  });

  it.each<{ name: string; text: string; at: [number, number]; prefix: string }>([
    { name: "uppercase project", text: lines("project: Shop"), at: [1, 10], prefix: "project: use lowercase letters" },
    { name: "project starting with -", text: lines("project: -shop"), at: [1, 10], prefix: "project: use lowercase letters" },
    { name: "project with a dot", text: lines("# c", "project: my.app"), at: [2, 10], prefix: "project: use lowercase letters" },
    { name: "environment name with uppercase", text: lines("environments:", "  Prod: {}"), at: [2, 9], prefix: "environments.Prod: " },
  ])("invalid name: $name", ({ text, at, prefix }) => {
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem?.slice(0, 2)).toEqual(at);
    expect(problem?.[2].startsWith(prefix)).toBe(true);
  });

  it.each<{ name: string; text: string; at: [number, number] }>([
    { name: "unclosed flow sequence", text: lines("compose: [a.yml", "retain: 1"), at: [2, 1] },
    { name: "duplicate key", text: lines("retain: 1", "project: a", "retain: 2"), at: [3, 1] },
    { name: "bad indentation", text: lines("release:", "  service: a", " timeout: 1"), at: [3, 1] },
  ])("invalid YAML: $name", ({ text, at }) => {
    const [problem] = problemsOf(text);
    expect(problem?.slice(0, 2)).toEqual(at);
    expect(problem?.[2].startsWith("invalid YAML: ")).toBe(true);
    expect(problem?.[2]).not.toContain("\n");
  });
});
