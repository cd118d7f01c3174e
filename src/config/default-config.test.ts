import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, provisionalConfig } from "./default-config.js";
import { slipwayConfigSchema } from "./slipway-schema.js";

describe("DEFAULT_CONFIG", () => {
  it("is what the schema makes of an empty slipway.yml", () => {
    expect(DEFAULT_CONFIG).toEqual(slipwayConfigSchema.parse({}));
  });
});

describe("provisionalConfig", () => {
  it.each([
    { name: "empty file", text: "", expected: DEFAULT_CONFIG },
    { name: "compose list and project", text: "project: shop\ncompose: [a.yml, b.yml]\n", expected: { retain: 5, project: "shop", compose: ["a.yml", "b.yml"] } },
    { name: "profiles", text: "profiles: [worker]\n", expected: { retain: 5, profiles: ["worker"] } },
    { name: "environments kept as written", text: "environments:\n  live: { default: true }\n", expected: { retain: 5, environments: { live: { default: true } } } },
    { name: "a compose list of numbers is no guess", text: "compose: [1, 2]\n", expected: undefined },
    { name: "a list at the top is no guess", text: "- a\n- b\n", expected: undefined },
    { name: "invalid YAML is no guess", text: "compose: [a\n", expected: undefined },
  ])("$name", ({ text, expected }) => {
    expect(provisionalConfig(text)).toEqual(expected);
  });
});
