/**
 * Decides what each compose service is to Slipway: an app service (replaced every release),
 * an accessory (kept across releases), the release task, or ignored; which app services the
 * router sends traffic to, and how their readiness is judged. `slipway.yml` overrides every
 * inference.
 */
import type { HealthcheckConfig, SlipwayConfig } from "../config/slipway-schema.js";
import { publishedPort, type ComposeModel, type ComposeService } from "./compose-model.js";
import { builtImages, imageProblems } from "./built-images.js";

export type Role = "app" | "accessory" | "release" | "ignore";

export type Readiness =
  | { readonly type: "http"; readonly path: string }
  | { readonly type: "docker" }
  | { readonly type: "tcp" };

export interface ReadinessPolicy {
  readonly probe: Readiness;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly passes: number;
  readonly deadlineMs: number;
}

export interface Route {
  readonly service: string;
  /** Container port the service answers on. */
  readonly port: number;
  /** Host port the router listens on, when known. */
  readonly listen?: number;
  readonly hosts: readonly string[];
  readonly readiness: ReadinessPolicy;
  /** The certificate its hosts are served with over HTTPS (see tls.ts); none: plain HTTP. */
  readonly certificate?: string;
  /** Strict-Transport-Security on its HTTPS answers. */
  readonly hsts?: boolean;
}

export interface ServiceClass {
  readonly name: string;
  readonly role: Role;
  /** Why the role was chosen, for `slipway config`. */
  readonly reason: string;
  readonly stopFirst: boolean;
  /**
   * The service that names the image this one runs: for a service that builds, the first with
   * an identical build; for one without build: (a worker on the web image), the one building it.
   */
  readonly buildOf?: string;
}

export interface Classification {
  readonly services: readonly ServiceClass[];
  readonly routes: readonly Route[];
  readonly releaseTask?: string;
  readonly problems: readonly string[];
}

const DEFAULT_HEALTH = { interval: 1000, timeout: 2000, passes: 2, deadline: 60_000 } as const;

function roleOf(name: string, service: ComposeService, config: SlipwayConfig, releaseTask: string | undefined, runs: string | undefined): [Role, string] {
  const declared = config.services?.[name]?.role;
  if (declared) return [declared, "declared in slipway.yml"];
  if (name === releaseTask) return ["release", config.release ? "release.service in slipway.yml" : "named release"];
  if (service.build) return ["app", "has build:"];
  if (runs) return ["app", `runs ${runs}'s image`];
  return ["accessory", "no build: (uses a ready image)"];
}

/** The service slipway.yml makes the release task, else the one named `release`, if it exists. */
export function releaseTaskCandidate(config: SlipwayConfig): string | undefined {
  if (config.release === false) return undefined;
  const declared = Object.entries(config.services ?? {}).find(([, s]) => s.role === "release")?.[0];
  return declared ?? config.release?.service ?? "release";
}

function releaseTaskName(model: ComposeModel, config: SlipwayConfig): string | undefined {
  const name = releaseTaskCandidate(config);
  return name !== undefined && name in model.services ? name : undefined;
}

function readinessOf(service: ComposeService, health: HealthcheckConfig | undefined): ReadinessPolicy {
  const timings = {
    intervalMs: health?.interval ?? DEFAULT_HEALTH.interval,
    timeoutMs: health?.timeout ?? DEFAULT_HEALTH.timeout,
    passes: health?.passes ?? DEFAULT_HEALTH.passes,
    deadlineMs: health?.deadline ?? DEFAULT_HEALTH.deadline,
  };
  if (health?.path) return { probe: { type: "http", path: health.path }, ...timings };
  const hasHealthcheck = service.healthcheck !== undefined && service.healthcheck.disable !== true;
  return { probe: hasHealthcheck ? { type: "docker" } : { type: "tcp" }, ...timings };
}

export interface ClassifyOptions {
  /**
   * The services' order in the user's files (compose prints them sorted): among services that
   * share a build, the first one declared names the image.
   */
  readonly order?: readonly string[];
  /** Services whose `image:` in the user's files names `${TAG}`, the tag of Slipway's build. */
  readonly taggedImages?: readonly string[];
}

export function classify(model: ComposeModel, config: SlipwayConfig, options: ClassifyOptions = {}): Classification {
  const problems: string[] = [];
  const releaseTask = releaseTaskName(model, config);
  if (config.release && config.release.service !== "release" && !releaseTask) {
    problems.push(`release.service: no compose service named "${config.release.service}"; name one of: ${Object.keys(model.services).join(", ")}`);
  }
  for (const name of Object.keys(config.services ?? {})) {
    if (!(name in model.services)) problems.push(`services.${name}: no compose service of that name`);
  }
  const order = options.order ?? [];
  const rank = (name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);
  const declared = Object.entries(model.services).sort(([a], [b]) => rank(a) - rank(b));
  const images = builtImages(declared, (name, service) => roleOf(name, service, config, releaseTask, undefined)[0]);
  const roles = declared.map(([name, service]) => {
    const runs = service.build ? undefined : images.builderOf(service.image);
    return { name, service, runs, role: roleOf(name, service, config, releaseTask, runs) };
  });
  const services: ServiceClass[] = roles.map(({ name, runs, role: [role, reason] }) => {
    const owner = runs ? images.ownerOf(runs) : images.ownerOf(name);
    return {
      name,
      role,
      reason,
      stopFirst: config.services?.[name]?.stop_first ?? false,
      ...(owner && owner !== name && (role === "app" || role === "release") ? { buildOf: owner } : {}),
    };
  });
  const tagged = new Set(options.taggedImages ?? []);
  for (const { name, service, runs, role } of roles) {
    const inferred = config.services?.[name]?.role === undefined;
    problems.push(...imageProblems({ name, service, role: role[0], inferred, runs, tagged: tagged.has(name), built: images.list }));
  }
  const routes = config.routes ? declaredRoutes(model, config, services, problems) : inferredRoutes(model, services);
  return { services, routes, ...(releaseTask ? { releaseTask } : {}), problems };
}

function declaredRoutes(model: ComposeModel, config: SlipwayConfig, services: readonly ServiceClass[], problems: string[]): Route[] {
  const routes: Route[] = [];
  (config.routes ?? []).forEach((route, index) => {
    const service = model.services[route.service];
    const role = services.find((s) => s.name === route.service)?.role;
    if (!service) {
      problems.push(`routes.${index}.service: no compose service named "${route.service}"`);
      return;
    }
    if (role !== "app") {
      problems.push(`routes.${index}.service: "${route.service}" is ${role === "accessory" ? "an accessory" : `a ${role} service`}; only app services are routed (set services.${route.service}.role: app)`);
      return;
    }
    const published = service.ports?.find((p) => p.target === route.port);
    const listen = route.listen ?? (published ? publishedPort(published) : undefined);
    routes.push({
      service: route.service,
      port: route.port,
      ...(listen ? { listen } : {}),
      hosts: route.hosts ?? [],
      readiness: readinessOf(service, route.healthcheck),
    });
  });
  return routes;
}

/** Without `routes:`, every app service port that compose publishes is routed. */
function inferredRoutes(model: ComposeModel, services: readonly ServiceClass[]): Route[] {
  return services
    .filter((s) => s.role === "app")
    .flatMap((s) => {
      const service = model.services[s.name];
      return (service?.ports ?? [])
        .filter((port) => publishedPort(port) !== undefined && (port.protocol ?? "tcp") === "tcp")
        .map((port) => ({
          service: s.name,
          port: port.target,
          listen: publishedPort(port) as number,
          hosts: [],
          readiness: readinessOf(service ?? {}, undefined),
        }));
    });
}
