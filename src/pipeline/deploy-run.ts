/** What one deployment carries from step to step. */
import type { ComposeCli, ComposeProject } from "../adapters/compose-cli.js";
import type { ContainerState, Engine } from "../adapters/docker-engine.js";
import type { Git } from "../adapters/git.js";
import type { ReleasePlan } from "../plan/plan-release.js";
import type { RegistryLogin } from "../plan/registry-images.js";
import type { ResolvedProject } from "../project/resolve-project.js";
import type { CertificateRouter, Router } from "../router/router.js";
import type { Store } from "../store/store.js";
import type { Clock } from "../core/clock.js";
import type { EventSink, LogStream, StepName } from "./events.js";
import type { HomePaths } from "./paths.js";
import type { Sealer } from "../secrets/cipher.js";
import type { BuildSlots } from "./build-slots.js";
import type { Acme } from "../adapters/acme.js";
import type { SwarmStacks } from "../adapters/swarm-stacks.js";
import type { RegistryManifests } from "../adapters/registry-manifests.js";

/** A route of a swarm environment, as the swarm router serves it. */
export interface SwarmRouteSpec {
  readonly backend: string;
  /** The port the router publishes on its node. */
  readonly listen: number;
  /** The port the service's tasks answer on. */
  readonly port: number;
  /** Host names served on the router's web ports instead of `listen`. */
  readonly hosts?: readonly string[];
  /** The certificate that serves its hosts over HTTPS. */
  readonly certificate?: string;
  readonly hsts?: boolean;
}

/** The router on a swarm: HAProxy as a swarm service, switched by its runtime API only. */
export interface SwarmRouting {
  /** The router service runs, listening on every route's port; a new route or port may update the service (never at a switch). */
  ensure(routes: readonly SwarmRouteSpec[]): Promise<void>;
  /** Moves the backend's traffic to the service's tasks once `expected` of them are up; the previous ones drain. */
  switchTo(backend: string, target: { readonly service: string; readonly port: number; readonly expected: number }): Promise<void>;
  /** The router service and its files go (no route is left). */
  remove(): Promise<void>;
  /** Its certificates and ACME challenges, as the single-host router's. */
  readonly certificates: CertificateRouter;
}

export interface DeployDeps {
  readonly git: Git;
  readonly compose: ComposeCli;
  readonly engine: Engine;
  readonly router: Router;
  readonly store: Store;
  /** Every event of a deployment goes here (the CLI renders them, a server streams them). */
  readonly events: EventSink;
  readonly clock: Clock;
  readonly paths: HomePaths;
  /** Masks every known secret value in a line that is printed or stored. */
  readonly redact: (text: string) => string;
  /** The master key's sealer, created (with its key file) on first use. */
  readonly sealer: () => Sealer;
  /** Who holds the locks this process takes: given by the composition root. */
  readonly identity: { readonly pid: number; readonly hostname: string };
  /** A server's limit on builds at once; none for the CLI. */
  readonly buildSlots?: BuildSlots;
  /** The ACME CA client that issues certificates for host names. */
  readonly acme?: Acme;
  /** Pushes an image to its registry, resolving with its digest (builds for a swarm environment). */
  readonly pushImage?: (reference: string, login?: RegistryLogin) => Promise<string>;
  /** A registry's manifests, for retention on a swarm environment's registry. */
  readonly registryManifests?: (registry: string, login?: RegistryLogin) => RegistryManifests;
  /** The swarm manager's stacks, services and jobs (environments with driver: swarm). */
  readonly stacks?: SwarmStacks;
  readonly swarmRouter?: SwarmRouting;
}

export type BuildMode = "auto" | "reuse" | "force";

export interface DeployRequest {
  /** The project as the working tree describes it, resolved with the deployed commit's TAG. */
  readonly resolved: ResolvedProject;
  readonly ref: string;
  readonly commit: string;
  readonly tag: string;
  /** A `git stash create` commit when deploying a dirty tree on purpose. */
  readonly snapshot?: string;
  readonly cache: boolean;
  readonly actor: string;
  /** A rollback re-uses an earlier release's build: no source, no build. */
  readonly kind?: "deploy" | "rollback" | "promotion";
  /** auto: re-use a build of the same commit and build settings; reuse: only that; force: always build. */
  readonly buildMode?: BuildMode;
  readonly build?: { readonly id: number; readonly of: string };
  /** false: the release task is skipped (a rollback's default). */
  readonly releaseTask?: boolean;
  /** A fast rollback: start this kept release's stopped containers again instead of creating new ones. */
  readonly resume?: string;
  /** Every secret value the release handles, sealed with it (so its logs can be redacted later). */
  readonly secrets?: readonly string[];
  /** The store's variables version the release runs with (default: the loaded project's). */
  readonly variablesVersion?: number | null;
}

export interface ReleaseRef {
  readonly id: number;
  readonly number: number;
  readonly name: string;
  /** The compose project (and container labels) it runs as: its own name, or for a fast rollback the release it restarted. */
  readonly runsAs: string;
}

export interface DeployRun {
  readonly deps: DeployDeps;
  readonly request: DeployRequest;
  readonly projectId: number;
  readonly environmentId: number;
  readonly deploymentId: number;
  release: ReleaseRef;
  readonly previous?: ReleaseRef;
  /** Planned before the deploy starts; preflight writes the host ports it allocates into it. */
  plan: ReleasePlan;
  /** Where the run's planned files go: the release's own directory. */
  readonly filesDir: string;
  /** Where the exported tree sits (filled by `source`). */
  buildDir?: string;
  buildId?: number;
  /** On a swarm: the images pushed to the environment's registry, with their digests. */
  pushed?: readonly PushedImage[];
  /** The new release's containers, once started, and when `start` finished. */
  containers: ContainerState[];
  startedAt?: number;
  /** Kept containers of a rollback that start once traffic is back (its stopped workers). */
  afterSwitch?: readonly string[];
  /** Aborts the work before the switch; cleared once the new release serves (the retire then finishes). */
  signal: AbortSignal | undefined;
  log(step: StepName, stream: LogStream, line: string): void;
}

/** What a recorded step needs of its run: its deployment, its signal, its log. */
export type StepRun = Pick<DeployRun, "deps" | "deploymentId" | "signal" | "log">;

/** What the source and build steps need: a deploy's run, or a build's on its own (no release). */
export interface PushedImage {
  readonly service: string;
  readonly reference: string;
  readonly digest: string;
}

export type BuildRun = StepRun & Pick<DeployRun, "request" | "projectId" | "plan" | "filesDir" | "buildDir" | "buildId"> & {
  /** On a swarm: the images pushed to the environment's registry, with their digests. */
  pushed?: readonly PushedImage[];
};

export function releaseProject(run: DeployRun, name = run.release.runsAs): ComposeProject {
  return {
    projectName: `${run.plan.project}-${run.plan.environment}-${name}`,
    files: [`${run.deps.paths.release(run.plan.project, run.plan.environment, name)}/release.yml`],
    projectDirectory: run.request.resolved.project.dir,
  };
}

export function accessoriesProject(run: DeployRun): ComposeProject {
  return {
    projectName: run.plan.files.accessories.projectName,
    files: [`${run.deps.paths.release(run.plan.project, run.plan.environment, run.release.runsAs)}/accessories.yml`],
    projectDirectory: run.request.resolved.project.dir,
  };
}

/** The run's signal as an exec option: aborting it stops the child process (before the switch only). */
export function abortable(run: Pick<DeployRun, "signal">): { signal?: AbortSignal } {
  return run.signal ? { signal: run.signal } : {};
}
