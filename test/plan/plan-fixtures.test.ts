/**
 * The classifier and planner over real project shapes: the model comes from the real
 * `docker compose config`, every planned file is checked by plain `docker compose config`,
 * and the planned objects are asserted exactly.
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../../src/plan/classify.js";
import { ENVIRONMENT_NETWORK_KEY, RELEASE_TASK_PROFILE, type ReleasePlan } from "../../src/plan/plan-release.js";
import type { ResolvedProject } from "../../src/project/resolve-project.js";
import { composeAccepts, fixtureDir, planFor, portable, resolveFixture, TAG } from "../support/fixtures.js";

type Json = Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly fixture: string;
  readonly environment?: string;
  readonly processEnv?: Record<string, string>;
  readonly roles: Record<string, Role>;
  readonly routes: Array<{ service: string; port: number; listen?: number; hosts?: string[]; probe: string }>;
  readonly check?: (plan: ReleasePlan, resolved: ResolvedProject) => void;
}

const releaseServices = (plan: ReleasePlan): Record<string, Json> => (plan.files.release.content.services ?? {}) as Record<string, Json>;
const accessoryServices = (plan: ReleasePlan): Record<string, Json> => (plan.files.accessories.content.services ?? {}) as Record<string, Json>;
const SLIPWAY_LABEL_KEYS = ["slipway.environment", "slipway.managed", "slipway.project", "slipway.release", "slipway.role", "slipway.service"];

const cases: Case[] = [
  {
    name: "the seed's classic shape: prod override, release service under a profile, image: app:${TAG}",
    fixture: "seed-classic",
    processEnv: { POSTGRES_PASSWORD: "pw", SECRET_KEY: "sk" },
    roles: { backend: "app", frontend: "app", db: "accessory", redis: "accessory", release: "release" },
    routes: [{ service: "frontend", port: 80, listen: 8080, probe: "tcp" }],
    check(plan) {
      expect(plan.files.release.projectName).toBe("seed-classic-production-v7");
      expect(plan.images).toEqual({
        backend: `seed-classic/backend:${TAG}`,
        frontend: `seed-classic/frontend:${TAG}`,
        release: `seed-classic/backend:${TAG}`,
      });
      const services = releaseServices(plan);
      expect(Object.keys(services).sort()).toEqual(["backend", "frontend", "release"]);
      expect(services.frontend?.ports).toEqual([{ target: 80, host_ip: "127.0.0.1", protocol: "tcp" }]);
      expect(services.backend?.ports).toBeUndefined();
      expect(services.backend?.depends_on).toBeUndefined();
      expect(services.frontend?.depends_on).toEqual({ backend: { condition: "service_started", required: true } });
      expect(services.release?.profiles).toEqual([RELEASE_TASK_PROFILE]);
      // Back after a crash, a reboot or a restart of dockerd; the release task never.
      expect([services.backend?.restart, services.frontend?.restart, services.release?.restart]).toEqual(["unless-stopped", "unless-stopped", undefined]);
      expect([accessoryServices(plan).db?.restart, accessoryServices(plan).redis?.restart]).toEqual(["unless-stopped", "unless-stopped"]);
      expect(services.release?.depends_on).toBeUndefined();
      expect(services.backend?.image).toBe(`seed-classic/backend:${TAG}`);
      expect(services.backend?.pull_policy).toBe("never");
      expect(services.backend?.build).toBeUndefined();
      expect(plan.files.release.content.volumes).toEqual({
        static: { name: "seed-classic-production_static", external: true },
        media: { name: "seed-classic-production_media", external: true },
        pgdata: { name: "seed-classic-production_pgdata", external: true },
      });
      expect(plan.volumes).toEqual(["seed-classic-production_media", "seed-classic-production_pgdata", "seed-classic-production_static"]);
      expect(Object.keys(accessoryServices(plan)).sort()).toEqual(["db", "redis"]);
      expect(accessoryServices(plan).db?.networks).toEqual({ [ENVIRONMENT_NETWORK_KEY]: null });
      expect(Object.keys(plan.files.build.content.services as Json)).toEqual(["backend", "frontend"]);
      expect(plan.releaseTask).toBe("release");
    },
  },
  {
    name: "the seed's own override: release, worker and scheduler name the backend's image, no build:",
    fixture: "seed-image-only",
    processEnv: { POSTGRES_PASSWORD: "pw", SECRET_KEY: "sk" },
    roles: { backend: "app", frontend: "app", db: "accessory", redis: "accessory", worker: "app", scheduler: "app", release: "release" },
    routes: [{ service: "frontend", port: 80, listen: 8080, probe: "tcp" }],
    check(plan, resolved) {
      const backend = `seed-image-only/backend:${TAG}`;
      expect(plan.images).toEqual({ backend, frontend: `seed-image-only/frontend:${TAG}`, worker: backend, scheduler: backend, release: backend });
      expect(Object.keys(plan.files.build.content.services as Json)).toEqual(["backend", "frontend"]);
      expect(resolved.classification.services.filter((s) => s.buildOf)).toEqual([
        { name: "worker", role: "app", reason: "runs backend's image", stopFirst: false, buildOf: "backend" },
        { name: "scheduler", role: "app", reason: "runs backend's image", stopFirst: false, buildOf: "backend" },
        { name: "release", role: "release", reason: "named release", stopFirst: false, buildOf: "backend" },
      ]);
      const services = releaseServices(plan);
      expect(Object.keys(services).sort()).toEqual(["backend", "frontend", "release", "scheduler", "worker"]);
      expect(services.worker).toMatchObject({ image: backend, pull_policy: "never", command: ["celery", "-A", "config", "worker"] });
      expect(services.worker?.depends_on).toBeUndefined();
      expect(services.release).toMatchObject({ image: backend, profiles: [RELEASE_TASK_PROFILE] });
      expect(Object.keys(accessoryServices(plan)).sort()).toEqual(["db", "redis"]);
    },
  },
  {
    name: "anchors and merge keys: one image for django, migrations, celeryworker, celerybeat",
    fixture: "django-anchors",
    roles: { django: "app", migrations: "release", celeryworker: "app", celerybeat: "app", nginx: "app", postgres: "accessory", redis: "accessory" },
    routes: [{ service: "nginx", port: 80, listen: 80, probe: "http:/healthz" }],
    check(plan, resolved) {
      const image = `cookie/django:${TAG}`;
      expect(plan.images).toEqual({ django: image, migrations: image, celeryworker: image, celerybeat: image, nginx: `cookie/nginx:${TAG}` });
      expect(plan.stopFirst).toEqual(["celerybeat"]);
      expect(plan.releaseTask).toBe("migrations");
      expect(Object.keys(plan.files.build.content.services as Json).sort()).toEqual(["django", "nginx"]);
      expect(envFileOf(plan, "django")).toEqual({ DJANGO_ALLOWED_HOSTS: "example.com", DJANGO_DEBUG: "False" });
      expect(releaseServices(plan).django?.environment).toBeUndefined();
      expect(releaseServices(plan).migrations?.profiles).toEqual([RELEASE_TASK_PROFILE]);
      expect(resolved.classification.routes[0]?.readiness).toEqual({ probe: { type: "http", path: "/healthz" }, intervalMs: 1000, timeoutMs: 2000, passes: 3, deadlineMs: 30_000 });
      expect(resolved.classification.services.find((s) => s.name === "celeryworker")?.buildOf).toBe("django");
    },
  },
  {
    name: "a database built from a local Dockerfile, declared an accessory",
    fixture: "built-db",
    roles: { app: "app", postgres: "accessory" },
    routes: [{ service: "app", port: 8000, listen: 8000, probe: "docker" }],
    check(plan) {
      expect(Object.keys(releaseServices(plan))).toEqual(["app"]);
      const postgres = accessoryServices(plan).postgres as Json;
      expect(postgres.build).toEqual({ context: "<dir>/compose/postgres", dockerfile: "Dockerfile" });
      expect(postgres.container_name).toBeUndefined();
      expect(releaseServices(plan).app?.depends_on).toBeUndefined();
      expect(plan.files.accessories.projectName).toBe("built-db-production-accessories");
    },
  },
  {
    name: "the smallest project: compose.yaml, one service, no slipway.yml",
    fixture: "single-web",
    roles: { web: "app" },
    routes: [{ service: "web", port: 8000, listen: 8000, probe: "tcp" }],
    check(plan) {
      expect(releaseServices(plan).web).toEqual({
        command: null,
        entrypoint: null,
        image: `single-web/web:${TAG}`,
        pull_policy: "never",
        restart: "unless-stopped",
        ports: [{ target: 8000, host_ip: "127.0.0.1", protocol: "tcp" }],
        networks: { default: null, [ENVIRONMENT_NETWORK_KEY]: null },
        labels: {
          "slipway.managed": "true",
          "slipway.project": "single-web",
          "slipway.environment": "production",
          "slipway.release": "v7",
          "slipway.service": "web",
          "slipway.role": "app",
        },
      });
      expect(plan.files.release.content.networks).toEqual({
        default: { ipam: {}, labels: { "slipway.project": "single-web", "slipway.environment": "production" } },
        [ENVIRONMENT_NETWORK_KEY]: { name: "single-web-production-wide", external: true },
      });
      expect(plan.files.accessories.content.services).toEqual({});
    },
  },
  {
    name: "declared routes with hosts, listen and an HTTP probe; the default environment's hosts",
    fixture: "explicit-routes",
    roles: { web: "app", api: "app", worker: "app" },
    routes: [
      { service: "web", port: 3000, listen: 443, hosts: ["shop.example.com"], probe: "http:/up" },
      { service: "api", port: 8000, listen: 8081, hosts: ["api.shop.example.com"], probe: "tcp" },
    ],
    check(plan) {
      expect(plan.environment).toBe("live");
      expect(plan.files.release.projectName).toBe("shop-live-v7");
      expect(releaseServices(plan).api?.ports).toEqual([{ target: 8000, host_ip: "127.0.0.1", protocol: "tcp" }]);
      expect(releaseServices(plan).worker?.ports).toBeUndefined();
      expect(plan.images.worker).toBe(`shop/api:${TAG}`);
    },
  },
  {
    name: "the same project planned for its test environment",
    fixture: "explicit-routes",
    environment: "test",
    roles: { web: "app", api: "app", worker: "app" },
    routes: [
      { service: "web", port: 3000, listen: 3000, hosts: ["test.shop.example.com"], probe: "http:/up" },
      { service: "api", port: 8000, listen: 8081, hosts: ["api.shop.example.com"], probe: "tcp" },
    ],
    check(plan) {
      expect(plan.network).toBe("shop-test-wide");
      expect(plan.files.release.projectName).toBe("shop-test-v7");
    },
  },
  {
    name: "user networks become per-release networks, external ones are kept",
    fixture: "custom-networks",
    roles: { proxy: "app", app: "app", cache: "accessory" },
    routes: [{ service: "proxy", port: 80, listen: 8080, probe: "tcp" }],
    check(plan) {
      const networks = plan.files.release.content.networks as Json;
      expect(networks).toEqual({
        front: { ipam: {}, labels: { "slipway.project": "custom-networks", "slipway.environment": "production" } },
        back: { driver: "bridge", ipam: {}, labels: { "slipway.project": "custom-networks", "slipway.environment": "production" } },
        shared: { name: "company-shared", external: true, ipam: {} },
        [ENVIRONMENT_NETWORK_KEY]: { name: "custom-networks-production-wide", external: true },
      });
      expect(releaseServices(plan).app?.networks).toEqual({ front: { aliases: ["application"] }, back: {}, shared: {}, [ENVIRONMENT_NETWORK_KEY]: null });
      expect(accessoryServices(plan).cache?.networks).toEqual({ back: null, [ENVIRONMENT_NETWORK_KEY]: null });
      expect((plan.files.accessories.content.networks as Json).back).toEqual({ driver: "bridge", ipam: {}, labels: { "slipway.project": "custom-networks", "slipway.environment": "production" } });
    },
  },
  {
    name: "named volumes belong to the environment; binds, anonymous and external volumes stay",
    fixture: "volumes-and-binds",
    roles: { web: "app" },
    routes: [{ service: "web", port: 8000, listen: 8000, probe: "tcp" }],
    check(plan) {
      expect(plan.files.release.content.volumes).toEqual({
        uploads: { name: "volumes-and-binds-production_uploads", external: true },
        "shared-assets": { name: "assets-from-elsewhere", external: true },
      });
      expect(plan.volumes).toEqual(["volumes-and-binds-production_uploads"]);
      expect(releaseServices(plan).web?.volumes).toEqual([
        { type: "volume", source: "uploads", target: "/app/uploads", volume: {} },
        { type: "bind", source: "<dir>/config", target: "/app/config", read_only: true, bind: { create_host_path: true } },
        { type: "volume", source: "shared-assets", target: "/assets", volume: {} },
        { type: "volume", target: "/app/tmp", volume: {} },
      ]);
    },
  },
  {
    name: "container names dropped, the release task's published port removed",
    fixture: "names-and-ports",
    roles: { web: "app", release: "release", mail: "accessory" },
    routes: [{ service: "web", port: 8000, listen: 8000, probe: "tcp" }],
    check(plan, resolved) {
      expect(releaseServices(plan).web?.container_name).toBeUndefined();
      expect(releaseServices(plan).release?.container_name).toBeUndefined();
      expect(releaseServices(plan).release?.ports).toBeUndefined();
      expect(accessoryServices(plan).mail?.ports).toEqual([{ mode: "ingress", target: 8025, published: "8025", protocol: "tcp" }]);
      expect(accessoryServices(plan).mail?.container_name).toBeUndefined();
      expect(resolved.lint.errors).toEqual([]);
      expect(resolved.lint.warnings.map((w) => w.split(":")[0])).toEqual(["services.web.container_name", "services.release.container_name", "services.release.ports"]);
    },
  },
  {
    name: "interpolation from .env, env_file contents, a build arg, an environment's own files",
    fixture: "env-files",
    environment: "staging",
    roles: { web: "app" },
    routes: [{ service: "web", port: 3000, listen: 8090, probe: "tcp" }],
    check(plan) {
      expect(envFileOf(plan, "web")).toEqual({ LOG_LEVEL: "info", PORT: "3000", STAGE: "staging" });
      expect(releaseServices(plan).web?.env_file).toEqual([{ path: "./web.env", required: false }]);
      expect((plan.files.build.content.services as Record<string, Json>).web?.build).toMatchObject({ args: { NODE_VERSION: "24" } });
      expect(plan.images.web).toBe(`env-files/web:${TAG}`);
    },
  },
  {
    name: "dependencies on accessories dropped, between app services kept with their condition",
    fixture: "depends-conditions",
    roles: { web: "app", api: "app", db: "accessory" },
    routes: [{ service: "web", port: 8000, listen: 8000, probe: "tcp" }],
    check(plan) {
      expect(releaseServices(plan).web?.depends_on).toEqual({ api: { condition: "service_healthy", required: true } });
      expect(releaseServices(plan).api?.depends_on).toBeUndefined();
    },
  },
];

function envFileOf(plan: ReleasePlan, service: string): Readonly<Record<string, string>> | undefined {
  return plan.envFiles.find((f) => f.service === service)?.values;
}

function probeOf(route: ResolvedProject["classification"]["routes"][number]): string {
  const probe = route.readiness.probe;
  return probe.type === "http" ? `http:${probe.path}` : probe.type;
}

describe("classify and plan fixture projects", () => {
  it.each(cases)("$name", async (c) => {
    const options = { ...(c.environment ? { environment: c.environment } : {}), ...(c.processEnv ? { processEnv: c.processEnv } : {}) };
    const resolved = await resolveFixture(c.fixture, options);
    const roles = Object.fromEntries(resolved.classification.services.map((s) => [s.name, s.role]));
    expect(roles).toEqual(c.roles);
    expect(
      resolved.classification.routes.map((r) => ({ service: r.service, port: r.port, ...(r.listen ? { listen: r.listen } : {}), ...(r.hosts.length ? { hosts: r.hosts } : {}), probe: probeOf(r) })),
    ).toEqual(c.routes);
    expect(resolved.lint.errors).toEqual([]);

    const plan = portable(planFor(resolved), fixtureDir(c.fixture));
    for (const [name, service] of [...Object.entries(releaseServices(plan)), ...Object.entries(accessoryServices(plan))]) {
      expect(Object.keys(service.labels as Json).filter((k) => k.startsWith("slipway.")).sort(), name).toEqual(SLIPWAY_LABEL_KEYS);
      expect(service.container_name, name).toBeUndefined();
    }
    c.check?.(plan, resolved);

    const raw = planFor(resolved);
    for (const kind of ["release", "accessories", "build"] as const) {
      const result = await composeAccepts(raw.files[kind].content, raw.files[kind].projectName);
      expect(result.stderr, `${kind} file rejected by docker compose config`).toBe("");
      expect(result.exitCode).toBe(0);
    }
  });

  it("refuses a fixed public port on a service that is not routed", async () => {
    const resolved = await resolveFixture("fixed-port-worker");
    expect(resolved.lint.errors).toHaveLength(1);
    expect(resolved.lint.errors[0]).toMatch(/^services\.metrics\.ports: fixed public port 9100:9100/);
  });
});
