import { describe, expect, it } from "vitest";
import { chooseEnvironment } from "./compose-files.js";
import { previewEnvironment, previewNumber } from "./previews.js";
import type { SlipwayConfig } from "./slipway-schema.js";

const config = (previews: SlipwayConfig["previews"]): SlipwayConfig =>
  ({ retain: 5, environments: { production: { default: true, branch: "main", hosts: ["shop.example.com"], compose: ["docker-compose.yml", "docker-compose.prod.yml"], secrets: { provider: "doppler", config: "prd" } } }, previews });

describe("previewEnvironment", () => {
  it("takes the template's settings but not what makes the template itself, and its own host", () => {
    expect(previewEnvironment(config({ from: "pull_requests", forks: false, hosts: "pr-{number}.preview.example.com", template: "production" }), "pr-7")).toEqual({
      compose: ["docker-compose.yml", "docker-compose.prod.yml"],
      secrets: { provider: "doppler", config: "prd" },
      hosts: ["pr-7.preview.example.com"],
    });
  });

  it("listens on a port of the range without host names: the first plus the number modulo the range's size", () => {
    expect(previewEnvironment(config({ from: "pull_requests", forks: false, ports: "21000-21099" }), "pr-7")).toEqual({ listen: 21007 });
    expect(previewEnvironment(config({ from: "pull_requests", forks: false, ports: "21000-21099" }), "pr-107")).toEqual({ listen: 21007 });
  });

  it("is none for names that are not previews, or without previews:", () => {
    expect(previewEnvironment(config({ from: "pull_requests", forks: false, ports: "21000-21099" }), "production")).toBeUndefined();
    expect(previewEnvironment(config(undefined), "pr-7")).toBeUndefined();
    expect(previewNumber("pr-07")).toBeUndefined();
    expect(previewNumber("pr-12")).toBe(12);
  });

  it("is an environment a command can name, though slipway.yml does not declare it", () => {
    expect(chooseEnvironment(config({ from: "pull_requests", forks: false, ports: "21000-21099" }), "pr-3")).toEqual({ ok: true, name: "pr-3", environment: { listen: 21003 } });
    expect(chooseEnvironment(config(undefined), "pr-3")).toMatchObject({ ok: false });
  });
});
