/**
 * The planner of a swarm release: a pure function from the resolved compose model and the
 * pushed images to the stack file `docker stack deploy` runs (one stack per release,
 * `<project>-<env>-vN`), the accessories' stack, and the release task's job.
 *
 * The stack file is written in the version 3 format that `docker stack deploy` reads, with only
 * the keys it knows: a compose model printed by `docker compose config` carries keys of the
 * Compose Specification (pull_policy, env_file objects) that its loader refuses.
 */
import type { Classification, ServiceClass } from "./classify.js";
import type { ComposeModel, ComposeService } from "./compose-model.js";
import { accessoriesProjectName, environmentNetworkName, environmentVolumeName, LABEL, releaseProjectName } from "./naming.js";

type Json = Record<string, unknown>;

/** The overlay network the swarm router and every routed service of every release join. */
export const EDGE_NETWORK = "slipway-edge";
const ENVIRONMENT_KEY = "slipway-environment";
const EDGE_KEY = "slipway-edge";
/** The label Swarm puts on every object of a stack. */
export const STACK_LABEL = "com.docker.stack.namespace";

/** Keys of a compose service that mean the same to `docker stack deploy`, copied as they are. */
const COPIED = ["command", "entrypoint", "working_dir", "user", "stop_grace_period", "stop_signal", "init", "cap_add", "cap_drop", "sysctls", "ulimits", "tmpfs", "hostname", "read_only", "tty", "stdin_open"] as const;
const DEPLOY_COPIED = ["restart_policy", "resources", "placement", "update_config", "rollback_config"] as const;

export interface SwarmStackInput {
  readonly model: ComposeModel;
  readonly classification: Classification;
  readonly project: string;
  readonly environment: string;
  /** The release's name, such as `v3`. */
  readonly release: string;
  /** Each app service's image as every node pulls it: `registry/service@sha256:…`. */
  readonly images: Readonly<Record<string, string>>;
  readonly replicas: Readonly<Record<string, number>>;
  /** The node the accessories are pinned to (their named volumes are node-local). */
  readonly accessoryNode?: string;
}

export interface SwarmService {
  /** The compose service. */
  readonly name: string;
  /** The swarm service: `<stack>_<name>`. */
  readonly fullName: string;
  readonly replicas: number;
}

export interface SwarmJob {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  /** Swarm networks the job joins (by name): the environment's, to reach the accessories. */
  readonly networks: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** A one-task job that runs as the compose service would: its command, entrypoint, working directory and user. */
export function jobOf(service: ComposeService, job: Pick<SwarmJob, "name" | "image" | "networks" | "labels">): SwarmJob {
  const command = stringList(service.command);
  const entrypoint = stringList(service.entrypoint);
  return {
    ...job,
    ...(command ? { command } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    ...(typeof service.working_dir === "string" ? { workingDir: service.working_dir } : {}),
    ...(typeof service.user === "string" ? { user: service.user } : {}),
  };
}

export interface SwarmStackPlan {
  readonly stack: string;
  readonly content: Json;
  readonly services: readonly SwarmService[];
  readonly accessories: { readonly stack: string; readonly content: Json; readonly services: readonly string[] };
  readonly job?: SwarmJob;
  /** The overlay networks every release of the environment joins, made once. */
  readonly networks: readonly string[];
}

function stringList(value: unknown): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((part) => String(part as string));
  return typeof value === "string" ? [value] : undefined;
}

function labels(input: SwarmStackInput, service: ServiceClass, release: string, existing: unknown): Record<string, string> {
  return {
    ...(existing as Record<string, string> | undefined),
    [LABEL.managed]: "true",
    [LABEL.project]: input.project,
    [LABEL.environment]: input.environment,
    [LABEL.release]: release,
    [LABEL.service]: service.name,
    [LABEL.role]: service.role,
  };
}

/** Named volumes belong to the environment (on the node a task runs on); binds pass as they are. */
function volumesOf(service: ComposeService): Json[] | undefined {
  if (!service.volumes || service.volumes.length === 0) return undefined;
  return service.volumes.map((mount) => {
    const { type, source, target, read_only: readOnly } = mount;
    return { type, ...(source !== undefined ? { source } : {}), target, ...(readOnly === true ? { read_only: true } : {}) };
  });
}

function volumeDeclarations(input: SwarmStackInput, services: readonly ComposeService[]): Json | undefined {
  const used = new Set(services.flatMap((s) => (s.volumes ?? []).filter((m) => m.type === "volume" && m.source).map((m) => m.source as string)));
  if (used.size === 0) return undefined;
  return Object.fromEntries(
    [...used].map((key) => {
      const declared = input.model.volumes?.[key];
      const labels = { [LABEL.project]: input.project, [LABEL.environment]: input.environment };
      return [key, declared?.external ? { external: true, name: declared.name ?? key } : { name: environmentVolumeName(input.project, input.environment, key), labels }];
    }),
  );
}

/**
 * The service's variables, in the file itself: `docker stack deploy` reads env files literally
 * (no quotes, no multi-line values), so they could not carry every value. The values stay as
 * compose printed them, `$` escaped as `$$`, which the stack loader reads back as `$`. The file
 * is written private and removed once the stack is deployed.
 */
function environmentOf(service: ComposeService): Record<string, string> | undefined {
  const set = Object.entries(service.environment ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}

function healthcheckOf(service: ComposeService): Json | undefined {
  const check = service.healthcheck;
  if (!check) return undefined;
  if (check.disable === true) return { disable: true };
  const picked = Object.fromEntries(["test", "interval", "timeout", "retries", "start_period"].filter((k) => check[k] !== undefined).map((k) => [k, check[k]]));
  return Object.keys(picked).length > 0 ? picked : undefined;
}

function deployOf(service: ComposeService, replicas: number, extra: Json): Json {
  const deploy = (service.deploy ?? {}) as Json;
  const copied = Object.fromEntries(DEPLOY_COPIED.filter((k) => deploy[k] !== undefined).map((k) => [k, deploy[k]]));
  return { mode: "replicated", replicas, ...copied, ...extra };
}

function copiedKeys(service: ComposeService): Json {
  return Object.fromEntries(COPIED.filter((k) => service[k] !== undefined && service[k] !== null).map((k) => [k, service[k]]));
}

function appService(input: SwarmStackInput, s: ServiceClass, routed: boolean): Json {
  const service = input.model.services[s.name] ?? {};
  const environment = environmentOf(service);
  const healthcheck = healthcheckOf(service);
  const volumes = volumesOf(service);
  const deployLabels = labels(input, s, input.release, undefined);
  return {
    image: input.images[s.name],
    ...copiedKeys(service),
    ...(environment ? { environment } : {}),
    ...(healthcheck ? { healthcheck } : {}),
    ...(volumes ? { volumes } : {}),
    // dnsrr: no virtual IP, so the router resolves each task (tasks.<service>) itself.
    deploy: deployOf(service, input.replicas[s.name] ?? 1, { endpoint_mode: "dnsrr", labels: deployLabels }),
    networks: { default: {}, [ENVIRONMENT_KEY]: {}, ...(routed ? { [EDGE_KEY]: {} } : {}) },
    labels: labels(input, s, input.release, service.labels),
  };
}

function accessoryService(input: SwarmStackInput, s: ServiceClass): Json {
  const service = input.model.services[s.name] ?? {};
  const environment = environmentOf(service);
  const healthcheck = healthcheckOf(service);
  const volumes = volumesOf(service);
  const placement = input.accessoryNode ? { placement: { constraints: [`node.id == ${input.accessoryNode}`] } } : {};
  return {
    image: service.image,
    ...copiedKeys(service),
    ...(environment ? { environment } : {}),
    ...(healthcheck ? { healthcheck } : {}),
    ...(volumes ? { volumes } : {}),
    deploy: deployOf(service, 1, { ...placement, labels: labels(input, s, "accessories", undefined) }),
    networks: { [ENVIRONMENT_KEY]: {} },
    labels: labels(input, s, "accessories", service.labels),
  };
}

export function planSwarmStack(input: SwarmStackInput): SwarmStackPlan {
  const { classification, project, environment, release } = input;
  const stack = releaseProjectName(project, environment, release);
  const environmentNetwork = environmentNetworkName(project, environment);
  const routedNames = new Set(classification.routes.map((r) => r.service));
  const apps = classification.services.filter((s) => s.role === "app");
  const accessories = classification.services.filter((s) => s.role === "accessory");
  const envNetworks = { [ENVIRONMENT_KEY]: { external: true, name: environmentNetwork } };
  const appVolumes = volumeDeclarations(input, apps.map((s) => input.model.services[s.name] ?? {}));
  const content: Json = {
    version: "3.8",
    services: Object.fromEntries(apps.map((s) => [s.name, appService(input, s, routedNames.has(s.name))])),
    networks: { default: { driver: "overlay", labels: { [LABEL.project]: project, [LABEL.environment]: environment } }, ...envNetworks, ...(routedNames.size > 0 ? { [EDGE_KEY]: { external: true, name: EDGE_NETWORK } } : {}) },
    ...(appVolumes ? { volumes: appVolumes } : {}),
  };
  const accessoryStack = accessoriesProjectName(project, environment);
  const accessoryVolumes = volumeDeclarations(input, accessories.map((s) => input.model.services[s.name] ?? {}));
  const accessoryContent: Json = {
    version: "3.8",
    services: Object.fromEntries(accessories.map((s) => [s.name, accessoryService(input, s)])),
    networks: envNetworks,
    ...(accessoryVolumes ? { volumes: accessoryVolumes } : {}),
  };
  const task = classification.releaseTask;
  const taskService = task ? input.model.services[task] : undefined;
  const taskClass = classification.services.find((s) => s.name === task);
  const job: SwarmJob | undefined =
    task && taskService && taskClass
      ? jobOf(taskService, { name: `${stack}_${task}`, image: input.images[task] ?? "", networks: [environmentNetwork], labels: { ...labels(input, taskClass, release, undefined), [STACK_LABEL]: stack } })
      : undefined;
  return {
    stack,
    content,
    services: apps.map((s) => ({ name: s.name, fullName: `${stack}_${s.name}`, replicas: input.replicas[s.name] ?? 1 })),
    accessories: { stack: accessoryStack, content: accessoryContent, services: accessories.map((s) => s.name) },
    ...(job ? { job } : {}),
    networks: [environmentNetwork, ...(routedNames.size > 0 ? [EDGE_NETWORK] : [])],
  };
}
