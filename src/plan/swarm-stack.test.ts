import { describe, expect, it } from "vitest";
import type { Classification } from "./classify.js";
import type { ComposeModel } from "./compose-model.js";
import { EDGE_NETWORK, planSwarmStack, STACK_LABEL } from "./swarm-stack.js";

const readiness = { probe: { type: "http", path: "/up" }, intervalMs: 1000, timeoutMs: 1000, passes: 1, deadlineMs: 30_000 } as const;

const model: ComposeModel = {
  services: {
    web: {
      build: { context: "." },
      image: "shop/web:abc",
      command: ["serve"],
      environment: { SECRET_KEY: "s3$$cret", UNSET: null },
      healthcheck: { test: ["CMD", "true"], interval: "1s", retries: 3, extra: "dropped" },
      deploy: { replicas: 2, resources: { limits: { memory: "128M" } }, placement: { constraints: ["node.role == worker"] } },
      volumes: [{ type: "volume", source: "uploads", target: "/srv/uploads" }],
      ports: [{ target: 8000, published: "8000" }],
      pull_policy: "build",
    },
    worker: { image: "shop/web:abc", command: ["work"] },
    release: { image: "shop/web:abc", command: ["migrate"], environment: { DATABASE_URL: "postgres://db" } },
    db: { image: "postgres:16", environment: { POSTGRES_PASSWORD: "pw" }, volumes: [{ type: "volume", source: "pgdata", target: "/var/lib/postgresql/data" }] },
  },
  volumes: { uploads: null, pgdata: null },
};

const classification: Classification = {
  services: [
    { name: "web", role: "app", reason: "", stopFirst: false },
    { name: "worker", role: "app", reason: "", stopFirst: false, buildOf: "web" },
    { name: "release", role: "release", reason: "", stopFirst: false, buildOf: "web" },
    { name: "db", role: "accessory", reason: "", stopFirst: false },
  ],
  routes: [{ service: "web", port: 8000, listen: 8000, hosts: [], readiness }],
  releaseTask: "release",
  problems: [],
};

const digest = "sha256:" + "a".repeat(64);
const plan = planSwarmStack({
  model,
  classification,
  project: "shop",
  environment: "live",
  release: "v3",
  images: { web: `reg:5000/shop/web@${digest}`, worker: `reg:5000/shop/worker@${digest}`, release: `reg:5000/shop/release@${digest}` },
  replicas: { web: 3, worker: 1 },
  accessoryNode: "node1",
});
const services = plan.content.services as Record<string, Record<string, unknown>>;

describe("planSwarmStack", () => {
  it("names the stack after the release and each service after the stack", () => {
    expect(plan.stack).toBe("shop-live-v3");
    expect(plan.services).toEqual([
      { name: "web", fullName: "shop-live-v3_web", replicas: 3 },
      { name: "worker", fullName: "shop-live-v3_worker", replicas: 1 },
    ]);
  });

  it("runs each app service by digest, dnsrr, with its replicas, resources and placement, and keys the stack loader knows only", () => {
    const web = services.web ?? {};
    expect(web.image).toBe(`reg:5000/shop/web@${digest}`);
    expect(web.deploy).toMatchObject({ mode: "replicated", replicas: 3, endpoint_mode: "dnsrr", resources: { limits: { memory: "128M" } }, placement: { constraints: ["node.role == worker"] } });
    expect(web.healthcheck).toEqual({ test: ["CMD", "true"], interval: "1s", retries: 3 });
    expect(Object.keys(web)).not.toContain("ports");
    expect(Object.keys(web)).not.toContain("pull_policy");
    expect(Object.keys(web)).not.toContain("build");
    expect(web.command).toEqual(["serve"]);
  });

  it("keeps the variables set, $ still escaped for the stack loader, and leaves unset ones out", () => {
    expect(services.web?.environment).toEqual({ SECRET_KEY: "s3$$cret" });
  });

  it("puts routed services on the edge network, every service on the environment's, and never the release task in the stack", () => {
    expect(Object.keys(services)).toEqual(["web", "worker"]);
    expect(Object.keys(services.web?.networks as object)).toEqual(["default", "slipway-environment", "slipway-edge"]);
    expect(Object.keys(services.worker?.networks as object)).toEqual(["default", "slipway-environment"]);
    expect(plan.content.networks).toMatchObject({ "slipway-environment": { external: true, name: "shop-live-wide" }, "slipway-edge": { external: true, name: EDGE_NETWORK } });
    expect(plan.networks).toEqual(["shop-live-wide", EDGE_NETWORK]);
  });

  it("mounts the environment's named volumes", () => {
    expect(plan.content.volumes).toEqual({ uploads: { name: "shop-live_uploads", labels: { "slipway.project": "shop", "slipway.environment": "live" } } });
  });

  it("labels every service with its project, environment, release and service", () => {
    expect((services.web?.deploy as { labels: object }).labels).toMatchObject({ "slipway.project": "shop", "slipway.environment": "live", "slipway.release": "v3", "slipway.service": "web" });
  });

  it("pins the accessories to one node in a stack of their own", () => {
    expect(plan.accessories.stack).toBe("shop-live-accessories");
    const db = (plan.accessories.content.services as Record<string, Record<string, unknown>>).db ?? {};
    expect(db.image).toBe("postgres:16");
    expect(db.deploy).toMatchObject({ replicas: 1, placement: { constraints: ["node.id == node1"] } });
    expect(Object.keys(db.networks as object)).toEqual(["slipway-environment"]);
  });

  it("runs the release task as a job on the environment network, from its own pushed image", () => {
    const { labels, ...job } = plan.job ?? { labels: {} };
    expect(job).toEqual({ name: "shop-live-v3_release", image: `reg:5000/shop/release@${digest}`, command: ["migrate"], networks: ["shop-live-wide"] });
    expect(labels).toMatchObject({ "slipway.release": "v3", "slipway.service": "release", [STACK_LABEL]: "shop-live-v3" });
  });

  it("plans no edge network and no job for an app with no route and no release task", () => {
    const { releaseTask: _task, ...withoutTask } = classification;
    const quiet = planSwarmStack({ model, classification: { ...withoutTask, routes: [] }, project: "p", environment: "e", release: "v1", images: {}, replicas: {} });
    expect(quiet.networks).toEqual(["p-e-wide"]);
    expect(quiet.job).toBeUndefined();
  });
});
