/**
 * The one definition of `slipway.yml`. Validation, `slipway docs` and the JSON Schema for
 * editors all come from here. Every object is strict: unknown keys are errors with a hint.
 */
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { DRIVERS } from "./environment-driver.js";

const duration = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `"${value}" is not a duration: write e.g. 500ms, 2s, 10m` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: "A duration: 500ms, 2s, 10m, 1h, or a number of seconds." });

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "use lowercase letters, digits, - and _ (it names Docker objects)");

const healthcheck = z
  .strictObject({
    path: z.string().startsWith("/").optional().describe("HTTP path probed; without it the image's HEALTHCHECK, else a TCP connect."),
    interval: duration.default(1000).describe("Time between probes."),
    timeout: duration.default(2000).describe("Time one probe may take."),
    passes: z.number().int().min(1).default(2).describe("Consecutive passes needed."),
    deadline: duration.default(60_000).describe("Give up after this long."),
  })
  .describe("How a new release's routed containers are judged ready.");

const route = z
  .strictObject({
    service: z.string().describe("The compose service that receives traffic."),
    port: z.number().int().min(1).max(65535).describe("The container port it listens on."),
    listen: z.number().int().min(1).max(65535).optional().describe("Host port the router listens on (default: the port compose publishes)."),
    hosts: z.array(z.string()).optional().describe("Host names routed to it (default: every request on the port)."),
    healthcheck: healthcheck.optional(),
  })
  .describe("A service the router sends traffic to.");

const KEPT_AS = ["stopped", "paused", "running"] as const;
const keptAs = z.enum(KEPT_AS);

const serviceSettings = z
  .strictObject({
    role: z.enum(["app", "accessory", "release", "ignore"]).optional().describe("Overrides the inferred role."),
    stop_first: z.boolean().optional().describe("Never run two at once (a scheduler): stopped before the new one starts, at the switch."),
    keep_previous: keptAs.optional().describe("How this service waits in the previous release, whatever the project's keep_previous says (a stop-first service is always stopped)."),
  })
  .describe("Per-service settings.");

const secrets = z
  .strictObject({
    provider: z.literal("doppler").describe("Where the secrets come from (Doppler, through its CLI; DOPPLER_TOKEN is honoured)."),
    project: z.string().min(1).optional().describe("The provider's project (default: the CLI's own setting)."),
    config: z.string().min(1).optional().describe("The provider's config, such as prd (default: the CLI's own setting)."),
  })
  .describe("A secrets provider whose values win over every other source.");

const tls = z
  .union([
    z.enum(["auto", "off"]),
    z.strictObject({
      cert: z.string().min(1).describe("PEM file of the certificate (and its chain), relative to the project directory."),
      key: z.string().min(1).describe("PEM file of its private key."),
    }),
  ])
  .describe("HTTPS for the environment's host names: auto (certificates from the ACME CA of acme:, the default when acme: is set), off (plain HTTP, behind another proxy), or a certificate you bring.");

const acme = z
  .strictObject({
    email: z.email().describe("The account's contact address: the CA writes there about expiring certificates."),
    directory: z.url().default("https://acme-v02.api.letsencrypt.org/directory").describe("The CA's ACME directory URL (default: Let's Encrypt)."),
  })
  .describe("The ACME account that issues certificates for host names (tls: auto).");


const registry = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d{1,5})?(\/[a-z0-9._-]+)*$/, "write host[:port][/path], without a scheme: registry.example.com/shop, 127.0.0.1:5000");

const registryLogin = z
  .strictObject({
    username: z.string().min(1).describe("The user (or robot account) that pushes and pulls."),
    password: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "name the variable that holds the password, such as REGISTRY_PASSWORD, not the password itself")
      .describe("The name of the variable holding its password or token: set it with slipway env set NAME=- --env ENV (kept encrypted), or give it from the secrets provider or the process environment."),
  })
  .describe("With driver: swarm, the credentials of a registry that wants them: Slipway pushes with them, and the nodes pull with them.");

const environment = z
  .strictObject({
    default: z.boolean().optional().describe("The environment used when --env is not given."),
    compose: z.array(z.string()).min(1).optional().describe("Compose files for this environment (default: the project's)."),
    profiles: z.array(z.string().min(1)).optional().describe("Compose profiles enabled for this environment (default: the project's)."),
    branch: z.string().optional().describe("The git branch deployed by default, and whose pushes deploy it when slipway serve gets the project's webhooks."),
    tags: z.string().min(1).optional().describe("Tags whose push deploys this environment through a webhook, as a pattern (* any characters, ? one): v*."),
    hosts: z.array(z.string()).optional().describe("Host names for this environment's routes."),
    listen: z.number().int().min(1).max(65535).optional().describe("Router port for this environment's first route."),
    tls: tls.optional(),
    hsts: z.boolean().optional().describe("Send Strict-Transport-Security on HTTPS answers (browsers then refuse plain HTTP to these hosts for a year)."),
    secrets: secrets.optional(),
    driver: z.enum(DRIVERS).optional().describe("What runs the environment: compose (the default: one Docker host) or swarm (a Docker Swarm, through a manager: each release a stack, routed by the swarm router)."),
    registry: registry.optional().describe("With driver: swarm, the registry every node pulls the images from, as host[:port][/path]: registry.example.com/shop."),
    registry_login: registryLogin.optional(),
    replicas: z
      .record(z.string().min(1), z.number().int().min(0))
      .optional()
      .describe("With driver: swarm, tasks per app service, such as { web: 3 } (default: compose's deploy.replicas, else 1)."),
  })
  .superRefine((env, ctx) => {
    if (env.driver === "swarm" && env.registry === undefined) {
      ctx.addIssue({ code: "custom", path: ["registry"], message: "required with driver: swarm: the registry every node pulls from, such as registry.example.com/shop" });
    }
    for (const key of ["registry", "registry_login", "replicas"] as const) {
      if (env.driver !== "swarm" && env[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "only the swarm driver uses it: add driver: swarm, or remove it" });
    }
  })
  .describe("A named target of the project.");

const previews = z
  .strictObject({
    from: z.literal("pull_requests").default("pull_requests").describe("What makes a preview: each open pull request (the project's webhooks)."),
    hosts: z.string().includes("{number}").optional().describe("The host name of a preview, {number} the pull request's: pr-{number}.preview.example.com."),
    ports: z
      .string()
      .regex(/^\d{1,5}-\d{1,5}$/, "a range of router ports, such as 21000-21999")
      .optional()
      .describe("Router ports for previews without host names, as FIRST-LAST: a pull request listens on FIRST + (its number modulo the range's size)."),
    template: name.optional().describe("The environment a preview starts from: its settings (compose files, profiles, secrets) and a copy of its variables."),
    forks: z.boolean().default(false).describe("Previews of pull requests from forks too (default: no: a fork's code would run with the template's variables)."),
  })
  .refine((p) => p.hosts !== undefined || p.ports !== undefined, { message: "give hosts (a pattern with {number}) or ports (a range)" })
  .describe("Preview environments pr-<number>, one per open pull request: made and updated by its webhooks, removed with their volumes when it closes.");

export const slipwayConfigSchema = z
  .strictObject({
    project: name.optional().describe("Project name (default: the directory's name)."),
    compose: z.array(z.string()).min(1).optional().describe("Compose files, in merge order (default: -f, else COMPOSE_FILE, else docker-compose.yml plus docker-compose.<env>.yml; the override alone when it is the only file, or stands alone beside a base meant for development)."),
    profiles: z
      .array(z.string().min(1))
      .optional()
      .describe("Compose profiles to enable, as COMPOSE_PROFILES would (default: --profile, else COMPOSE_PROFILES when compose: is not set here, else every service whatever its profiles). The release task is read whatever its profiles."),
    release: z
      .union([
        z.literal(false),
        z.strictObject({
          service: z.string().default("release").describe("The compose service run once per deployment."),
          timeout: duration.default(600_000).describe("How long it may run."),
        }),
      ])
      .optional()
      .describe("The release task (migrations, collectstatic), or false for none."),
    routes: z.array(route).optional().describe("Routed services (default: app services that publish a port)."),
    previews: previews.optional(),
    services: z.record(z.string(), serviceSettings).optional(),
    environments: z.record(name, environment).optional(),
    mirror_of: name.optional().describe("Another Slipway project of the same repository whose builds of the same commit this one re-uses."),
    retain: z.number().int().min(1).default(5).describe("Releases whose images are kept for rollback."),
    keep_previous: z
      .enum(["auto", ...KEPT_AS])
      .optional()
      .describe("How the previous release waits for a rollback: auto (the default: the services that answer requests, routed ones and what they depend on, are paused and thaw in milliseconds; workers and schedulers are stopped), stopped (frees all its memory; a rollback starts it again), paused (all frozen: no CPU, its memory kept) or running (out of the router; its workers keep running too)."),
    secrets: secrets.optional(),
    acme: acme.optional(),
    cache: z.boolean().optional().describe("Builds run by slipway serve use Docker's layer cache (default: off on a server, so nothing left over from an earlier build leaks in; the CLI builds with it unless --no-cache)."),
    drain: duration.optional().describe("How long an old release may take to finish its in-flight requests after the switch before Slipway reports it busy (default 5s); it leaves as soon as it holds none."),
  })
  .describe("Slipway's settings: what compose files cannot say.");

export type SlipwayConfigInput = z.input<typeof slipwayConfigSchema>;
export type SlipwayConfig = z.output<typeof slipwayConfigSchema>;
export type RouteConfig = z.output<typeof route>;
export type HealthcheckConfig = z.output<typeof healthcheck>;
export type EnvironmentConfig = z.output<typeof environment>;
export type ServiceSettings = z.output<typeof serviceSettings>;
export type SecretsConfig = z.output<typeof secrets>;
export type TlsConfig = z.output<typeof tls>;
export type AcmeConfig = z.output<typeof acme>;

export { healthcheck as healthcheckSchema };
export type KeepPrevious = NonNullable<SlipwayConfig["keep_previous"]>;
