import { describe, expect, it } from "vitest";
import type { ReleasePlan } from "./plan-release.js";
import { portNeeds, probeOrder, publishPorts, replicasOf } from "./ports.js";

const plan = (services: Record<string, unknown>): ReleasePlan =>
  ({
    project: "shop",
    environment: "live",
    release: "v3",
    tag: "abc",
    network: "shop-live-wide",
    volumes: [],
    images: {},
    routes: [],
    stopFirst: [],
    envFiles: [],
    files: {
      build: { projectName: "shop-build", content: {} },
      release: { projectName: "shop-live-v3", content: { name: "shop-live-v3", services } },
      accessories: { projectName: "shop-live-accessories", content: {} },
    },
  }) satisfies ReleasePlan;

const routed = (target: number) => ({ target, host_ip: "127.0.0.1", protocol: "tcp" });

describe("host ports of a release", () => {
  const services = {
    web: { image: "shop/web:abc", ports: [routed(80), routed(443)] },
    api: { image: "shop/api:abc", deploy: { replicas: 3 }, ports: [routed(8000)] },
    worker: { image: "shop/api:abc" },
  };

  it("needs one port per routed container port, one per replica", () => {
    expect(portNeeds(plan(services))).toEqual([
      { key: "api:8000", service: "api", target: 8000, count: 3 },
      { key: "web:443", service: "web", target: 443, count: 1 },
      { key: "web:80", service: "web", target: 80, count: 1 },
    ]);
  });

  it("publishes each at its port, a range for replicas, and leaves the rest of the plan alone", () => {
    const before = plan(services);
    const after = publishPorts(before, { "web:80": 20100, "web:443": 20101, "api:8000": 24000 });
    expect(after.files.release.content.services).toEqual({
      web: { image: "shop/web:abc", ports: [{ ...routed(80), published: "20100" }, { ...routed(443), published: "20101" }] },
      api: { image: "shop/api:abc", deploy: { replicas: 3 }, ports: [{ ...routed(8000), published: "24000-24002" }] },
      worker: { image: "shop/api:abc" },
    });
    expect({ ...after, files: { ...after.files, release: before.files.release } }).toEqual(before);
    expect(portNeeds(after)).toEqual([]);
  });

  it.each([
    { name: "scale", service: { scale: 2 }, count: 2 },
    { name: "deploy.replicas", service: { deploy: { replicas: 4 } }, count: 4 },
    { name: "nothing", service: {}, count: 1 },
    { name: "zero", service: { scale: 0 }, count: 1 },
  ])("counts replicas from $name", ({ service, count }) => {
    expect(replicasOf(service)).toBe(count);
  });

  it("tries every port of the range once, from a start the seed decides", () => {
    const range = { first: 100, last: 109 };
    const order = [...probeOrder("shop/live/v3/web:80", 1, range)];
    expect([...order].sort((a, b) => a - b)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect([...probeOrder("shop/live/v3/web:80", 1, range)]).toEqual(order);
    expect([...probeOrder("shop/live/v4/web:80", 1, range)]).not.toEqual(order);
    // Room for 3 in a row: the last start is 107.
    expect(Math.max(...probeOrder("x", 3, range))).toBe(107);
  });
});
