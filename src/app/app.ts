/**
 * The composition root: from a settings object (never from `process`), the adapters every
 * operation runs with. The CLI builds one per call, a server one per process; both pass it to
 * the operations in this folder.
 */
import { join } from "node:path";
import { createComposeCli, type ComposeCli } from "../adapters/compose-cli.js";
import { connectDocker, createEngine, type Engine } from "../adapters/docker-engine.js";
import { createSwarmEngine, type SwarmEngine } from "../adapters/swarm-engine.js";
import { createSwarmStacks, type SwarmStacks } from "../adapters/swarm-stacks.js";
import { registryManifests } from "../adapters/registry-manifests.js";
import { createGit, type Git } from "../adapters/git.js";
import { createMirror, type Mirror } from "../adapters/git-mirror.js";
import { systemClock, type Clock } from "../core/clock.js";
import { SlipwayError } from "../core/errors.js";
import { silentSink } from "../core/events.js";
import { buildSlots } from "../pipeline/build-slots.js";
import type { DeployDeps } from "../pipeline/deploy-run.js";
import { homePaths, type HomePaths } from "../pipeline/paths.js";
import { fileConfigCache, type ConfigCache } from "../project/config-cache.js";
import type { VariableSourcesFn } from "../project/load-project.js";
import type { Router } from "../router/router.js";
import type { Sealer } from "../secrets/cipher.js";
import { masterSealer } from "../secrets/master-key.js";
import { Redactor } from "../secrets/redact.js";
import { variableSources } from "../secrets/variable-sources.js";
import { slipwayHome } from "../store/home.js";
import { processStarted } from "../store/liveness.js";
import type { Store } from "../store/store.js";
import { SETTLE_MS, settleBackground } from "./background.js";
import { BUILD_ID } from "./build-id.js";
import { createEventFeed, type EventFeed } from "./event-feed.js";

export interface AppSettings {
  /**
   * The environment Slipway runs in: SLIPWAY_HOME, DOCKER_HOST, SLIPWAY_ROUTER_*, the master key,
   * a provider's token, and the variables compose interpolates (the process environment source).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Who takes locks and records deployments: this process. */
  readonly identity: { readonly pid: number; readonly hostname: string };
  readonly clock?: Clock;
  /** The redactor the shell prints through, so that it learns what the operations load. */
  readonly redactor?: Redactor;
  /** How many builds may run at once in this process (a server's host-wide limit); default: no limit. */
  readonly buildLimit?: number;
  /** Adapters to use instead of the real ones (tests run operations against fakes). */
  readonly adapters?: { readonly git?: Git; readonly mirror?: Mirror; readonly compose?: ComposeCli; readonly engine?: Engine; readonly router?: Router };
}

export interface App extends AsyncDisposable {
  readonly settings: AppSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly paths: HomePaths;
  readonly git: Git;
  /** The bare mirrors of projects deployed from a git URL. */
  readonly mirror: Mirror;
  readonly compose: ComposeCli;
  readonly engine: Engine;
  /** The engine as a swarm manager (environments with driver: swarm). */
  readonly swarm: SwarmEngine;
  /** Stacks, services and jobs on the swarm manager (deployments of driver: swarm). */
  readonly stacks: SwarmStacks;
  readonly clock: Clock;
  /** Learns every secret value as it is loaded; what the shells print passes through it. */
  readonly redactor: Redactor;
  /** The store's and the provider's variables of an environment, for loading a project. */
  readonly variableSources: VariableSourcesFn;
  /** slipway.yml texts this build validated before, under the home; none when running from source. */
  readonly configCache: ConfigCache | undefined;
  /** The master key's sealer; with create, its key file is made on first use. */
  sealer(options: { create: boolean }): Sealer | undefined;
  /** The store, router and the rest a deployment needs: opened on first use, closed with the app. */
  deps(): Promise<DeployDeps>;
  /** Wakes this process's readers of a deployment's events when it records more. */
  readonly feed: EventFeed;
}

/** SLIPWAY_DATABASE_URL (PostgreSQL) when set, else SQLite under the home. */
export function storeLocation(env: AppSettings["env"], home: string): { url: string } | { home: string } {
  const url = env.SLIPWAY_DATABASE_URL;
  return url ? { url } : { home };
}

function portSetting(env: AppSettings["env"], name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SlipwayError("E_CONFIG_INVALID", `${name}=${text} is not a TCP port (1-65535)`);
  return port;
}

/** SLIPWAY_HTTP_PORT and SLIPWAY_HTTPS_PORT: where routes with host names are served (default 80 and 443). */
export function webPorts(env: AppSettings["env"]): { http: number; https: number } {
  return { http: portSetting(env, "SLIPWAY_HTTP_PORT", 80), https: portSetting(env, "SLIPWAY_HTTPS_PORT", 443) };
}

export function createApp(settings: AppSettings): App {
  const env = settings.env;
  const home = slipwayHome(env);
  const paths = homePaths(home);
  const clock = settings.clock ?? systemClock;
  const redactor = settings.redactor ?? new Redactor();
  const engine = settings.adapters?.engine ?? createEngine({ ...(env.DOCKER_HOST ? { host: env.DOCKER_HOST } : {}) });
  let swarmClient: ReturnType<typeof connectDocker> | undefined;
  const sealer = (options: { create: boolean }): Sealer | undefined => masterSealer(home, env, options);
  let opened: Promise<{ deps: DeployDeps; store: Store }> | undefined;
  const slots = settings.buildLimit !== undefined ? buildSlots(settings.buildLimit) : undefined;
  const open = async (): Promise<{ deps: DeployDeps; store: Store }> => {
    const [{ openStore }, { createRouter }, { connectDocker }, { createSwarmRouting }] = await Promise.all([
      import("../store/open-store.js"),
      import("../router/router.js"),
      import("../adapters/docker-engine.js"),
      import("./swarm-routing.js"),
    ]);
    const started = processStarted(settings.identity.pid);
    const store = await openStore({ ...storeLocation(env, home), identity: { ...settings.identity, now: () => new Date(clock.now()), ...(started ? { started } : {}) } });
    const router = settings.adapters?.router ?? createRouter({
      docker: () => connectDocker(env.DOCKER_HOST),
      home: paths.router,
      clock,
      ...(env.SLIPWAY_ROUTER_IMAGE ? { image: env.SLIPWAY_ROUTER_IMAGE } : {}),
      ...(env.SLIPWAY_ROUTER_NAME ? { containerName: env.SLIPWAY_ROUTER_NAME } : {}),
      web: webPorts(env),
    });
    let created: Sealer | undefined;
    const deps: DeployDeps = {
      git: app.git,
      compose: app.compose,
      engine: app.engine,
      clock,
      router,
      store,
      events: silentSink,
      paths,
      redact: (text) => redactor.apply(text),
      sealer: () => (created ??= sealer({ create: true }) as Sealer),
      identity: settings.identity,
      pushImage: (reference, login) => app.swarm.pushImage(reference, login),
      registryManifests,
      stacks: app.stacks,
      swarmRouter: createSwarmRouting({
        docker: () => connectDocker(env.DOCKER_HOST),
        home: join(paths.router, "swarm"),
        web: webPorts(env),
        ...(env.SLIPWAY_SWARM_ROUTER_NAME ? { name: env.SLIPWAY_SWARM_ROUTER_NAME } : {}),
        ...(env.SLIPWAY_ROUTER_IMAGE ? { image: env.SLIPWAY_ROUTER_IMAGE } : {}),
        clock,
      }),
      ...(slots ? { buildSlots: slots } : {}),
    };
    return { deps, store };
  };
  const app: App = {
    settings,
    env,
    home,
    paths,
    git: settings.adapters?.git ?? createGit(),
    mirror: settings.adapters?.mirror ?? createMirror({ env: { ...env } }),
    compose: settings.adapters?.compose ?? createComposeCli({ env }),
    engine,
    swarm: createSwarmEngine(() => (swarmClient ??= connectDocker(env.DOCKER_HOST))),
    stacks: createSwarmStacks(() => (swarmClient ??= connectDocker(env.DOCKER_HOST)), env),
    clock,
    redactor,
    // On PostgreSQL the variables are read through the app's own store (one pool, not one per read).
    configCache: BUILD_ID === undefined ? undefined : fileConfigCache({ dir: join(home, "cache", "config"), build: BUILD_ID }),
    variableSources: variableSources({ home, env, redactor, ...(env.SLIPWAY_DATABASE_URL ? { store: async () => (await app.deps()).store } : {}) }),
    sealer,
    deps: async () => (await (opened ??= open())).deps,
    feed: createEventFeed(),
    async [Symbol.asyncDispose]() {
      // Deliveries still retrying (a deployment's notifications) get their bounded time first: they write to the store.
      await settleBackground(app, SETTLE_MS);
      const current = opened;
      opened = undefined;
      if (current) await (await current.catch(() => undefined))?.store[Symbol.asyncDispose]();
    },
  };
  return app;
}
