/**
 * Services that run an image another service builds, against exact expected objects: the
 * classification, the image each release service runs, and what the build file builds.
 */
import { describe, expect, it } from "vitest";
import type { SlipwayConfig } from "../config/slipway-schema.js";
import { classify, type Classification, type ClassifyOptions, type ServiceClass } from "./classify.js";
import type { ComposeModel, ComposeService } from "./compose-model.js";
import { planRelease, releaseImages } from "./plan-release.js";

const TAG = "0123456789ab";
const CONFIG: SlipwayConfig = { retain: 5 };
const TCP = { probe: { type: "tcp" }, intervalMs: 1000, timeoutMs: 2000, passes: 2, deadlineMs: 60_000 } as const;

const build = (context: string): ComposeService["build"] => ({ context: `/src/${context}`, dockerfile: "Dockerfile" });
const web = (image: string, extra: Partial<ComposeService> = {}): ComposeService => ({ build: build("backend"), image, ports: [{ target: 8000, published: "8000" }], ...extra });
const svc = (name: string, role: ServiceClass["role"], reason: string, extra: Partial<ServiceClass> = {}): ServiceClass => ({ name, role, reason, stopFirst: false, ...extra });
const webRoute = { service: "web", port: 8000, listen: 8000, hosts: [], readiness: TCP };

interface Case {
  readonly name: string;
  readonly services: Record<string, ComposeService>;
  readonly config?: SlipwayConfig;
  readonly options?: ClassifyOptions;
  readonly expected: Classification;
  /** The image each release service runs (only when the project has no problem). */
  readonly images?: Record<string, string>;
  /** The services the build file builds. */
  readonly builds?: string[];
}

const cases: Case[] = [
  {
    name: "a worker and a scheduler on the web image, the scheduler stop-first where declared",
    services: {
      web: web(`shop-web:${TAG}`),
      worker: { image: `shop-web:${TAG}`, command: ["celery", "worker"] },
      scheduler: { image: `shop-web:${TAG}`, command: ["celery", "beat"] },
      db: { image: "postgres:16" },
    },
    config: { ...CONFIG, services: { scheduler: { stop_first: true } } },
    options: { order: ["web", "worker", "scheduler", "db"], taggedImages: ["web", "worker", "scheduler"] },
    expected: {
      services: [
        svc("web", "app", "has build:"),
        svc("worker", "app", "runs web's image", { buildOf: "web" }),
        svc("scheduler", "app", "runs web's image", { buildOf: "web", stopFirst: true }),
        svc("db", "accessory", "no build: (uses a ready image)"),
      ],
      routes: [webRoute],
      problems: [],
    },
    images: { web: `shop/web:${TAG}`, worker: `shop/web:${TAG}`, scheduler: `shop/web:${TAG}` },
    builds: ["web"],
  },
  {
    name: "the seed's layout: a release service with image: only, from the prod override",
    services: {
      backend: web(`portfolio-backend:${TAG}`),
      frontend: { build: build("frontend"), image: `portfolio-frontend:${TAG}`, ports: [{ target: 80, published: "8080" }] },
      release: { image: `portfolio-backend:${TAG}`, command: ["sh", "-c", "migrate"], profiles: ["release"] },
      db: { image: "postgres:16" },
    },
    options: { order: ["backend", "frontend", "db", "release"], taggedImages: ["backend", "frontend", "release"] },
    expected: {
      services: [
        svc("backend", "app", "has build:"),
        svc("frontend", "app", "has build:"),
        svc("db", "accessory", "no build: (uses a ready image)"),
        svc("release", "release", "named release", { buildOf: "backend" }),
      ],
      routes: [
        { service: "backend", port: 8000, listen: 8000, hosts: [], readiness: TCP },
        { service: "frontend", port: 80, listen: 8080, hosts: [], readiness: TCP },
      ],
      releaseTask: "release",
      problems: [],
    },
    images: { backend: `shop/backend:${TAG}`, frontend: `shop/frontend:${TAG}`, release: `shop/backend:${TAG}` },
    builds: ["backend", "frontend"],
  },
  {
    name: "two app services building different images, a third service on each",
    services: {
      web: web(`acme/web:${TAG}`),
      api: { build: build("api"), image: `acme/api:${TAG}` },
      "web-worker": { image: `acme/web:${TAG}` },
      "api-worker": { image: `docker.io/acme/api:${TAG}` },
    },
    options: { order: ["web", "api", "web-worker", "api-worker"] },
    expected: {
      services: [
        svc("web", "app", "has build:"),
        svc("api", "app", "has build:"),
        svc("web-worker", "app", "runs web's image", { buildOf: "web" }),
        svc("api-worker", "app", "runs api's image", { buildOf: "api" }),
      ],
      routes: [webRoute],
      problems: [],
    },
    images: { web: `shop/web:${TAG}`, api: `shop/api:${TAG}`, "web-worker": `shop/web:${TAG}`, "api-worker": `shop/api:${TAG}` },
    builds: ["web", "api"],
  },
  {
    name: "image: ${REGISTRY}/app:${TAG}, interpolated: the default registry and a private one",
    services: {
      web: web(`docker.io/library/app:${TAG}`),
      worker: { image: `app:${TAG}` },
      admin: { build: build("admin"), image: `registry.example.com:5000/team/admin:${TAG}` },
      "admin-jobs": { image: `registry.example.com:5000/team/admin:${TAG}` },
      "other-registry": { image: `ghcr.io/team/admin:${TAG}` },
    },
    options: { order: ["web", "worker", "admin", "admin-jobs", "other-registry"], taggedImages: ["web", "worker", "admin", "admin-jobs", "other-registry"] },
    expected: {
      services: [
        svc("web", "app", "has build:"),
        svc("worker", "app", "runs web's image", { buildOf: "web" }),
        svc("admin", "app", "has build:"),
        svc("admin-jobs", "app", "runs admin's image", { buildOf: "admin" }),
        svc("other-registry", "accessory", "no build: (uses a ready image)"),
      ],
      routes: [webRoute],
      problems: [
        `services.other-registry.image: ghcr.io/team/admin:${TAG} names \${TAG}, the tag of Slipway's build, but no service builds it, so no registry has it: give other-registry a build:, or name an image a service builds (the images built here: docker.io/library/app:${TAG} (web), registry.example.com:5000/team/admin:${TAG} (admin))`,
      ],
    },
  },
  {
    name: "a ${TAG} image that no service builds is an error, not a pull",
    services: { web: web(`shop-web:${TAG}`), worker: { image: `shop-worker:${TAG}` } },
    options: { taggedImages: ["web", "worker"] },
    expected: {
      services: [svc("web", "app", "has build:"), svc("worker", "accessory", "no build: (uses a ready image)")],
      routes: [webRoute],
      problems: [
        `services.worker.image: shop-worker:${TAG} names \${TAG}, the tag of Slipway's build, but no service builds it, so no registry has it: give worker a build:, or name an image a service builds (the images built here: shop-web:${TAG} (web))`,
      ],
    },
  },
  {
    name: "an accessory on a plain public image is unchanged, even one named like a built image",
    services: { web: web("shop-web"), cache: { image: "redis:7" }, proxy: { image: "docker.io/library/caddy:2" } },
    options: { order: ["web", "cache", "proxy"] },
    expected: {
      services: [svc("web", "app", "has build:"), svc("cache", "accessory", "no build: (uses a ready image)"), svc("proxy", "accessory", "no build: (uses a ready image)")],
      routes: [webRoute],
      problems: [],
    },
    images: { web: `shop/web:${TAG}` },
    builds: ["web"],
  },
  {
    name: "role: app declared for a worker on the web image runs the web image",
    services: { web: web("shop-web:latest"), worker: { image: "shop-web" } },
    config: { ...CONFIG, services: { worker: { role: "app" } } },
    expected: {
      services: [svc("web", "app", "has build:"), svc("worker", "app", "declared in slipway.yml", { buildOf: "web" })],
      routes: [webRoute],
      problems: [],
    },
    images: { web: `shop/web:${TAG}`, worker: `shop/web:${TAG}` },
    builds: ["web"],
  },
  {
    name: "an app service declared on an image nothing builds, and a release task on one, are errors",
    services: { web: web(`shop-web:${TAG}`), proxy: { image: "caddy:2" }, release: { image: "migrate/migrate" } },
    config: { ...CONFIG, services: { proxy: { role: "app" } } },
    expected: {
      services: [svc("web", "app", "has build:"), svc("proxy", "app", "declared in slipway.yml"), svc("release", "release", "named release")],
      routes: [webRoute],
      releaseTask: "release",
      problems: [
        `services.proxy.image: caddy:2 is built by no service, and an app service (declared in slipway.yml) runs an image Slipway builds: give proxy a build:, or the image: of a service that has one (the images built here: shop-web:${TAG} (web))`,
        `services.release.image: migrate/migrate is built by no service, and the release task runs an image Slipway builds: give release a build:, or the image: of a service that has one (the images built here: shop-web:${TAG} (web))`,
      ],
    },
  },
  {
    name: "an accessory declared on a ${TAG} image is the user's word: no error",
    services: { web: web(`shop-web:${TAG}`), jobs: { image: `registry.example.com/jobs:${TAG}` } },
    config: { ...CONFIG, services: { jobs: { role: "accessory" } } },
    options: { order: ["web", "jobs"], taggedImages: ["web", "jobs"] },
    expected: {
      services: [svc("web", "app", "has build:"), svc("jobs", "accessory", "declared in slipway.yml")],
      routes: [webRoute],
      problems: [],
    },
    images: { web: `shop/web:${TAG}` },
    builds: ["web"],
  },
];

describe("classify: services that run an image another service builds", () => {
  it.each(cases)("$name", (c) => {
    const model: ComposeModel = { services: c.services };
    const classification = classify(model, c.config ?? CONFIG, c.options);
    expect(classification).toEqual(c.expected);
    if (!c.images) return;
    expect(releaseImages(classification, "shop", TAG)).toEqual(c.images);
    const plan = planRelease({ model, classification, project: "shop", environment: "production", release: "v1", tag: TAG });
    expect(Object.keys(plan.files.build.content.services as object)).toEqual(c.builds);
    const planned = plan.files.release.content.services as Record<string, { image?: string; build?: unknown }>;
    for (const [service, image] of Object.entries(c.images)) expect(planned[service], service).toMatchObject({ image, pull_policy: "never" });
  });
});
