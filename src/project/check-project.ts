/**
 * `slipway check`: every input problem at once, before anything touches the engine; then
 * compose and the engine themselves. Returns a report; the CLI renders it.
 */
import type { ComposeCli } from "../adapters/compose-cli.js";
import type { Engine } from "../adapters/docker-engine.js";
import { askRegistry } from "../adapters/registry-http.js";
import { registryManifests } from "../adapters/registry-manifests.js";
import type { SwarmEngine } from "../adapters/swarm-engine.js";
import { environmentDriver } from "../config/environment-driver.js";
import type { Clock } from "../core/clock.js";
import { checkSwarm, type SwarmCheck, type SwarmCheckDeps } from "./check-swarm.js";
import type { Git } from "../adapters/git.js";
import { variableOrigins } from "../config/variables.js";
import { ExitCodes, isSlipwayError, type SlipwayError } from "../core/errors.js";
import type { Classification } from "../plan/classify.js";
import { registryLogin } from "../plan/registry-images.js";
import { loadProject, type LoadedProject, type LoadOptions } from "./load-project.js";
import type { Problem } from "./problem.js";
import { resolveProject, type ResolvedProject } from "./resolve-project.js";

export interface CheckReport {
  readonly project?: LoadedProject;
  readonly classification?: Classification;
  readonly problems: readonly Problem[];
  readonly warnings: readonly string[];
  /** Compose or the engine missing: things to install or start, not to edit. */
  readonly unavailable: readonly SlipwayError[];
  readonly variables: ReadonlyArray<{ name: string; origin: string | undefined }>;
  readonly composeVersion?: string;
  readonly engineVersion?: string;
  /** An environment with driver: swarm: the manager, its nodes, the registry and their pulls. */
  readonly swarm?: SwarmCheck;
  readonly exitCode: number;
}

export interface CheckDeps {
  readonly git: Git;
  readonly compose: ComposeCli;
  readonly engine: Engine;
  readonly swarm: SwarmEngine;
  readonly clock: Clock;
  /** How to ask a registry whether it answers (default: GET /v2/ over HTTP(S)). */
  readonly askRegistry?: SwarmCheckDeps["askRegistry"];
}

export async function checkProject(options: LoadOptions, deps: CheckDeps): Promise<CheckReport> {
  const unavailable: SlipwayError[] = [];
  // The compose CLI never touches the engine, so asking for its version early is free.
  const composeVersion = deps.compose.version().catch((error: unknown) => {
    if (isSlipwayError(error)) unavailable.push(error);
    else throw error;
    return undefined;
  });
  const loaded = await loadProject(options, { git: deps.git });
  const version = await composeVersion;
  const project = loaded.project;
  const variables = project ? variableOrigins(project.sources.flatMap((s) => s.references), project.variables) : [];
  const base = { ...(project ? { project } : {}), variables, ...(version ? { composeVersion: version } : {}) };

  if (loaded.problems.length > 0 || !project) {
    return { ...base, problems: loaded.problems, warnings: [], unavailable, exitCode: ExitCodes.badInput };
  }
  if (!version) return { ...base, problems: [], warnings: [], unavailable, exitCode: ExitCodes.unavailable };

  let resolved;
  try {
    resolved = await resolveProject(project, deps.compose);
  } catch (error) {
    if (!isSlipwayError(error) || error.exitCode !== ExitCodes.badInput) throw error;
    return { ...base, problems: [{ code: error.code, message: error.message }], warnings: [], unavailable, exitCode: ExitCodes.badInput };
  }
  const problems: Problem[] = resolved.lint.errors.map((message) => ({ code: "E_NOT_DEPLOYABLE", message }));
  const warnings = resolved.lint.warnings;
  const withModel = { ...base, classification: resolved.classification, warnings };
  if (problems.length > 0) return { ...withModel, problems, unavailable, exitCode: ExitCodes.badInput };

  let engineVersion: string;
  try {
    engineVersion = await deps.engine.ping();
  } catch (error) {
    if (!isSlipwayError(error)) throw error;
    return { ...withModel, problems, unavailable: [...unavailable, error], exitCode: ExitCodes.unavailable };
  }
  const settings = project.environment.settings;
  if (environmentDriver(settings) !== "swarm" || settings?.registry === undefined) return { ...withModel, problems, unavailable, engineVersion, exitCode: ExitCodes.ok };
  let login;
  try {
    login = registryLogin(project);
  } catch (error) {
    if (!isSlipwayError(error)) throw error;
    return { ...withModel, problems: [{ code: error.code, message: error.message }], unavailable, engineVersion, exitCode: ExitCodes.badInput };
  }
  const swarm = await checkSwarm(
    { registry: settings.registry, ...(login ? { login } : {}), accessoryVolumes: accessoryVolumes(resolved), nonce: deps.clock.now().toString(36) + Math.random().toString(36).slice(2, 6) },
    { swarm: deps.swarm, clock: deps.clock, askRegistry: deps.askRegistry ?? ((registry) => askRegistry(registry)), manifests: registryManifests(settings.registry, login) },
  );
  const all = [...unavailable, ...swarm.problems];
  return { ...withModel, problems, unavailable: all, engineVersion, swarm, exitCode: all.length > 0 ? ExitCodes.unavailable : ExitCodes.ok };
}

/** The named volumes each accessory mounts. */
function accessoryVolumes(resolved: ResolvedProject): Array<{ service: string; volumes: string[] }> {
  return resolved.classification.services
    .filter((s) => s.role === "accessory")
    .map((s) => ({ service: s.name, volumes: (resolved.model.services[s.name]?.volumes ?? []).filter((v) => v.type === "volume" && v.source).map((v) => v.source ?? "") }));
}
