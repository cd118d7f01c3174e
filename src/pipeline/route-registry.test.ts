import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Route } from "../plan/classify.js";
import { backendName, readRegistry, updateRegistry, withEnvironmentRoutes, type Registry } from "./route-registry.js";
import { routerRoutes } from "./router-sync.js";

const route = (service: string, port: number, listen: number, hosts: string[] = []): Route => ({
  service,
  port,
  listen,
  hosts,
  readiness: { probe: { type: "tcp" }, intervalMs: 1000, timeoutMs: 1000, passes: 1, deadlineMs: 1000 },
});

describe("route registry", () => {
  const other: Registry = { shop_live_web_80: { project: "shop", environment: "live", listen: 80, hosts: ["shop.example"], servers: [{ name: "v3-web-1", address: "127.0.0.1:4000" }] } };

  it("adds an environment's routes, keeping every other environment's", () => {
    const next = withEnvironmentRoutes(other, "shop", "test", [{ ...route("web", 80, 80, ["test.shop.example"]), certificate: "shop_test", hsts: true }]);
    // A route with hosts is served on the shared web ports: it listens on no port of its own.
    expect(next).toEqual({ ...other, shop_test_web_80: { project: "shop", environment: "test", listen: 0, hosts: ["test.shop.example"], servers: [], certificate: "shop_test", hsts: true } });
  });

  it("keeps the servers of a route that stays, and drops a route that went", () => {
    const next = withEnvironmentRoutes(other, "shop", "live", [route("api", 8000, 8081)]);
    expect(Object.keys(next)).toEqual(["shop_live_api_8000"]);
    const same = withEnvironmentRoutes(other, "shop", "live", [route("web", 80, 81)]);
    expect(same.shop_live_web_80?.servers).toEqual(other.shop_live_web_80?.servers);
    expect(same.shop_live_web_80?.listen).toBe(81);
  });

  it("keepServing: a backend with servers keeps its port and hosts, and stays even if its route went", () => {
    const moved = withEnvironmentRoutes(other, "shop", "live", [route("web", 80, 81), route("api", 8000, 8081)], { keepServing: true });
    expect(moved.shop_live_web_80).toEqual(other.shop_live_web_80);
    expect(moved.shop_live_api_8000).toEqual({ project: "shop", environment: "live", listen: 8081, hosts: [], servers: [] });
    expect(withEnvironmentRoutes(other, "shop", "live", [], { keepServing: true })).toEqual(other);
    const empty: Registry = { shop_live_web_80: { ...other.shop_live_web_80!, servers: [] } };
    expect(withEnvironmentRoutes(empty, "shop", "live", [route("web", 80, 81)], { keepServing: true }).shop_live_web_80?.listen).toBe(81);
  });

  it("names backends after project, environment, service and port", () => {
    expect(backendName("shop", "live", { service: "web", port: 80 })).toBe("shop_live_web_80");
  });

  it("round-trips through its file (0600), and gives the router each route with its servers", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-registry-"));
    expect(readRegistry(dir)).toEqual({});
    updateRegistry(dir, () => other);
    expect(readRegistry(dir)).toEqual(other);
    expect(statSync(join(dir, "routes.json")).mode & 0o777).toBe(0o600);
    expect(routerRoutes(readRegistry(dir))).toEqual([{ backend: "shop_live_web_80", listen: 80, hosts: ["shop.example"], servers: [{ name: "v3-web-1", address: "127.0.0.1:4000", enabled: true }] }]);
    rmSync(dir, { recursive: true, force: true });
  });
});
