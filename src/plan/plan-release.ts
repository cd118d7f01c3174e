/**
 * The planner: a pure function from (resolved compose model, classification, names) to the
 * compose files one release and the environment's accessories run with. Plain data that
 * `slipway plan` prints, tests assert on, and plain `docker compose` accepts.
 */
import type { Classification, Route, ServiceClass } from "./classify.js";
import type { ComposeModel, ComposeService } from "./compose-model.js";
import {
  accessoriesProjectName,
  environmentNetworkName,
  environmentVolumeName,
  imageName,
  LABEL,
  releaseProjectName,
} from "./naming.js";
import { withDefaultRestart, withoutRestart } from "./restart-policy.js";
import { serviceVariables } from "./runtime-variables.js";

/** The key under which planned files refer to the environment network. */
export const ENVIRONMENT_NETWORK_KEY = "slipway-environment";
/** The profile that keeps the release task out of `up`; `run` still finds it by name. */
export const RELEASE_TASK_PROFILE = "slipway-release-task";

type Json = Record<string, unknown>;

export interface PlanInput {
  readonly model: ComposeModel;
  readonly classification: Classification;
  readonly project: string;
  readonly environment: string;
  /** Release id, such as `v3`. */
  readonly release: string;
  /** Image tag of the build (the commit's first 12 characters). */
  readonly tag: string;
  /** Full commit, recorded in image labels. */
  readonly commit?: string;
  /** Where the services' env files go (default: beside the planned files, shown as `.`). */
  readonly envDir?: string;
}

/** One service's variables, kept out of the planned files: written to `path` (mode 0600) only while compose needs them. */
export interface PlannedEnvFile {
  readonly service: string;
  readonly path: string;
  readonly values: Readonly<Record<string, string>>;
}

export interface PlannedFile {
  /** The compose project the file runs as. */
  readonly projectName: string;
  readonly content: Json;
}

export interface ReleasePlan {
  readonly project: string;
  readonly environment: string;
  readonly release: string;
  readonly tag: string;
  /** Environment-wide objects Slipway creates once and every project declares external. */
  readonly network: string;
  readonly volumes: readonly string[];
  /** Image of every app service and of the release task. */
  readonly images: Readonly<Record<string, string>>;
  readonly routes: readonly Route[];
  readonly releaseTask?: string;
  readonly stopFirst: readonly string[];
  readonly files: {
    readonly build: PlannedFile;
    readonly release: PlannedFile;
    readonly accessories: PlannedFile;
  };
  /** The variables of every service that has any, which the planned files name but never hold. */
  readonly envFiles: readonly PlannedEnvFile[];
}

interface Context extends PlanInput {
  readonly roles: ReadonlyMap<string, ServiceClass>;
}

export function planRelease(input: PlanInput): ReleasePlan {
  const { classification, project, environment, release, tag } = input;
  const ctx: Context = {
    ...input,
    roles: new Map(classification.services.map((s) => [s.name, s])),
  };
  const byRole = (...roles: string[]): ServiceClass[] => classification.services.filter((s) => roles.includes(s.role));
  const releaseServices = byRole("app", "release");
  const accessories = byRole("accessory");
  const images = releaseImages(classification, project, tag);
  const envFiles = [...releaseServices, ...accessories].flatMap((s) => envFileOf(ctx, s.name));

  return {
    project,
    environment,
    release,
    tag,
    network: environmentNetworkName(project, environment),
    volumes: environmentVolumes(ctx).map(([, name]) => name),
    images,
    routes: classification.routes,
    ...(classification.releaseTask ? { releaseTask: classification.releaseTask } : {}),
    stopFirst: releaseServices.filter((s) => s.stopFirst).map((s) => s.name),
    files: {
      build: planBuild(ctx, releaseServices, images),
      release: {
        projectName: releaseProjectName(project, environment, release),
        content: composeFile(ctx, releaseProjectName(project, environment, release), releaseServices, (s) => releaseService(ctx, s, images)),
      },
      accessories: {
        projectName: accessoriesProjectName(project, environment),
        content: composeFile(ctx, accessoriesProjectName(project, environment), accessories, (s) => accessoryService(ctx, s)),
      },
    },
    envFiles,
  };
}

/** The image of every app service and of the release task, by service. */
export function releaseImages(classification: Classification, project: string, tag: string): Record<string, string> {
  const services = classification.services.filter((s) => s.role === "app" || s.role === "release");
  return Object.fromEntries(services.map((s) => [s.name, `${imageName(project, s.buildOf ?? s.name)}:${tag}`]));
}

function envFilePath(ctx: Context, service: string): string {
  return `${ctx.envDir ?? "."}/${service}.env`;
}

/**
 * Unset variables (a bare `- NAME` nothing set) stay unset, as compose leaves them. The model
 * holds values as `config` prints them, `$` escaped as `$$`; the file holds the values themselves.
 */
function envFileOf(ctx: Context, name: string): PlannedEnvFile[] {
  const values = serviceVariables(ctx.model.services[name]?.environment);
  return Object.keys(values).length > 0 ? [{ service: name, path: envFilePath(ctx, name), values }] : [];
}

/**
 * A service's variables move to its env file: the planned file on disk names the file, never a
 * value. Not required, so compose still reads the planned file after the env file is removed.
 */
function withEnvFile(ctx: Context, name: string, service: Json): Json {
  const { environment: _environment, env_file: _envFile, ...rest } = service;
  return envFileOf(ctx, name).length > 0 ? { ...rest, env_file: [{ path: envFilePath(ctx, name), required: false }] } : rest;
}

function labels(ctx: Context, service: ServiceClass, existing: unknown): Record<string, string> {
  return {
    ...(existing as Record<string, string> | undefined),
    [LABEL.managed]: "true",
    [LABEL.project]: ctx.project,
    [LABEL.environment]: ctx.environment,
    [LABEL.release]: service.role === "accessory" ? "accessories" : ctx.release,
    [LABEL.service]: service.name,
    [LABEL.role]: service.role,
  };
}

/** Named volumes that are not external belong to the environment, not to one release. */
function environmentVolumes(ctx: Context): Array<[string, string]> {
  return Object.entries(ctx.model.volumes ?? {})
    .filter(([, volume]) => volume?.external !== true)
    .map(([key]) => [key, environmentVolumeName(ctx.project, ctx.environment, key)]);
}

function composeFile(ctx: Context, name: string, services: readonly ServiceClass[], plan: (s: ServiceClass) => Json): Json {
  const planned = Object.fromEntries(services.map((s) => [s.name, plan(s)]));
  const usedNetworks = new Set(Object.values(planned).flatMap((s) => Object.keys((s.networks as Json | undefined) ?? {})));
  const networks: Json = {};
  for (const [key, network] of Object.entries(ctx.model.networks ?? {})) {
    if (!usedNetworks.has(key)) continue;
    if (network?.external) {
      networks[key] = network;
    } else {
      // Without `name`, compose names the network after this file's project: one per release.
      const { name: _name, ...rest } = network ?? {};
      networks[key] = { ...rest, labels: { ...(rest.labels as Json | undefined), [LABEL.project]: ctx.project, [LABEL.environment]: ctx.environment } };
    }
  }
  networks[ENVIRONMENT_NETWORK_KEY] = { name: environmentNetworkName(ctx.project, ctx.environment), external: true };
  const volumes = Object.fromEntries(
    Object.entries(ctx.model.volumes ?? {}).map(([key, volume]) =>
      volume?.external ? [key, volume] : [key, { name: environmentVolumeName(ctx.project, ctx.environment, key), external: true }],
    ),
  );
  const extras = Object.fromEntries(Object.entries(ctx.model).filter(([key]) => ["secrets", "configs"].includes(key)));
  return { name, services: planned, networks, ...(Object.keys(volumes).length > 0 ? { volumes } : {}), ...extras };
}

/**
 * Drops what only the source project's own `up` may have (names, builds, profiles). Strings
 * pass through as compose printed them: `config` already escapes `$` as `$$`.
 */
function baseService(service: ComposeService): Json {
  const { build: _b, container_name: _c, profiles: _p, depends_on: _d, links: _l, ...rest } = service;
  return rest;
}

function keepDependencies(ctx: Context, service: ComposeService, roles: readonly string[]): Json {
  const kept = Object.entries(service.depends_on ?? {}).filter(([name]) => roles.includes(ctx.roles.get(name)?.role ?? ""));
  return kept.length > 0 ? { depends_on: Object.fromEntries(kept) } : {};
}

function releaseService(ctx: Context, s: ServiceClass, images: Readonly<Record<string, string>>): Json {
  const service = ctx.model.services[s.name] ?? {};
  const isTask = s.role === "release";
  const ports = isTask ? [] : routedPorts(ctx, s.name);
  const { ports: _ports, ...rest } = baseService(service);
  return {
    ...withEnvFile(ctx, s.name, isTask ? withoutRestart(rest) : withDefaultRestart(rest)),
    image: images[s.name],
    pull_policy: "never",
    ...(ports.length > 0 ? { ports } : {}),
    ...(isTask ? { profiles: [RELEASE_TASK_PROFILE] } : keepDependencies(ctx, service, ["app"])),
    networks: withEnvironmentNetwork(service.networks),
    labels: labels(ctx, s, service.labels),
  };
}

/**
 * Routed ports are published on 127.0.0.1 (the router's backend), whether or not compose
 * published them, at the host port the deploy allocates (see ports.ts); every other published
 * port is dropped.
 */
function routedPorts(ctx: Context, name: string): Json[] {
  const targets = [...new Set(ctx.classification.routes.filter((r) => r.service === name).map((r) => r.port))];
  return targets.map((target) => ({ target, host_ip: "127.0.0.1", protocol: "tcp" }));
}

function withEnvironmentNetwork(networks: Readonly<Record<string, unknown>> | undefined): Json {
  return { ...(networks ?? { default: null }), [ENVIRONMENT_NETWORK_KEY]: null };
}

function accessoryService(ctx: Context, s: ServiceClass): Json {
  const service = ctx.model.services[s.name] ?? {};
  const rest = withDefaultRestart(baseService(service));
  // Accessories live on the environment network only, where releases reach them by name.
  const { default: _default, ...otherNetworks } = (service.networks ?? {}) as Json;
  return {
    ...withEnvFile(ctx, s.name, rest),
    ...(service.build ? { build: service.build } : {}),
    ...keepDependencies(ctx, service, ["accessory"]),
    networks: { ...otherNetworks, [ENVIRONMENT_NETWORK_KEY]: null },
    labels: labels(ctx, s, service.labels),
  };
}

function planBuild(ctx: Context, services: readonly ServiceClass[], images: Readonly<Record<string, string>>): PlannedFile {
  const owners = services.filter((s) => !s.buildOf && ctx.model.services[s.name]?.build);
  const planned = Object.fromEntries(
    owners.map((s) => {
      const build = ctx.model.services[s.name]?.build ?? {};
      const buildLabels = {
        ...(build.labels as Json | undefined),
        [LABEL.managed]: "true",
        [LABEL.project]: ctx.project,
        [LABEL.service]: s.name,
        ...(ctx.commit ? { "org.opencontainers.image.revision": ctx.commit } : {}),
      };
      return [s.name, { image: images[s.name], build: { ...build, labels: buildLabels } }];
    }),
  );
  const name = `${ctx.project}-build`;
  return { projectName: name, content: { name, services: planned } };
}
