/**
 * Status: what the store says is live, what the engine runs, what the router serves, and every
 * way they differ. A report with a problem is one a monitoring script should hear of.
 */
import type { ContainerState } from "../adapters/docker-engine.js";
import { LABEL } from "../plan/naming.js";
import { BUILD_KIND } from "../pipeline/build-only.js";
import { describeReconciled } from "../pipeline/reconcile.js";
import { runsAsOf } from "../pipeline/release-snapshot.js";
import { readRegistry } from "../pipeline/route-registry.js";
import type { RouterServer } from "../router/router.js";
import type { DeploymentRow, ReleaseWithDeployment } from "../store/store.js";
import type { App } from "./app.js";
import { openEnvironment, type ProjectRequest } from "./project.js";
import { environmentDriver } from "../config/environment-driver.js";
import { swarmDrift, swarmStatus, type SwarmStatus } from "./swarm-status.js";

export interface RouteStatus {
  readonly backend: string;
  readonly listen: number;
  readonly hosts: readonly string[];
  readonly expected: ReadonlyArray<{ name: string; address: string }>;
  /** What HAProxy serves now; undefined when it does not answer. */
  readonly serving: readonly RouterServer[] | undefined;
}

export interface StatusReport {
  readonly project: string;
  readonly environment: string;
  readonly live: { release: string; number: number; createdAt: Date } | null;
  readonly containers: readonly ContainerState[];
  readonly routes: readonly RouteStatus[];
  /** Deployments since the live release that their process left unfinished (kill -9, a crash). */
  readonly interrupted: ReadonlyArray<{ id: number; kind: string; ref: string; error?: string }>;
  /** What this look put right: an interrupted deployment's rows, containers and files. */
  readonly reconciled: readonly string[];
  /** Every way what runs differs from what should: each a problem. */
  readonly drift: readonly string[];
  /** A swarm environment: its nodes, and its services' tasks per node. */
  readonly swarm?: SwarmStatus;
}

/** A report says all is well when nothing drifted and no deployment was left interrupted. */
export function isHealthy(report: Pick<StatusReport, "drift" | "interrupted">): boolean {
  return report.drift.length === 0 && report.interrupted.length === 0;
}

interface DriftInput {
  readonly live: ReleaseWithDeployment | undefined;
  readonly kept: ReleaseWithDeployment | undefined;
  readonly containers: readonly ContainerState[];
  readonly routes: readonly RouteStatus[];
}

function containerDrift(input: DriftInput): string[] {
  const drift: string[] = [];
  const liveName = input.live ? runsAsOf(input.live) : undefined;
  const mine = (c: ContainerState): boolean => c.labels[LABEL.role] === "app" || c.labels[LABEL.release] === "accessories";
  const running = input.containers.filter((c) => c.status === "running" && c.labels[LABEL.role] === "app" && c.labels[LABEL.oneOff] === undefined);
  if (liveName && !running.some((c) => c.labels[LABEL.release] === liveName)) drift.push(`the store says ${liveName} is live, but none of its containers runs`);
  const expected = new Set([liveName, "accessories", ...(input.kept ? [runsAsOf(input.kept)] : [])]);
  for (const other of new Set(input.containers.filter((c) => c.status === "running" && !expected.has(c.labels[LABEL.release])).map((c) => c.labels[LABEL.release]))) {
    drift.push(`${other ?? "an unlabelled release"} runs but is not the live release (an orphan: slipway deploy or down removes it)`);
  }
  for (const c of input.containers.filter((c) => mine(c) && c.status !== "running" && (c.labels[LABEL.release] === liveName || c.labels[LABEL.release] === "accessories"))) {
    drift.push(`${c.name} (${c.labels[LABEL.release] === "accessories" ? "accessory" : `${liveName ?? "live"} ${c.labels[LABEL.service] ?? ""}`.trim()}) is ${c.status}`);
  }
  return drift;
}

function routeDrift(input: DriftInput): string[] {
  const drift: string[] = [];
  const liveName = input.live ? runsAsOf(input.live) : undefined;
  const listening = new Set(
    input.containers.filter((c) => c.status === "running" && c.labels[LABEL.release] === liveName).flatMap((c) => c.ports.filter((p) => p.hostIp === "127.0.0.1").map((p) => `127.0.0.1:${p.hostPort}`)),
  );
  for (const route of input.routes) {
    if (!route.serving) {
      drift.push(`the router does not answer for ${route.backend}: deploy again to recreate it`);
      continue;
    }
    for (const s of route.expected.filter((e) => !route.serving?.some((r) => r.name === e.name))) drift.push(`the router lacks ${s.name} in ${route.backend} (restarted?): deploy again to restore it`);
    for (const s of route.serving.filter((r) => r.state === "ready" && liveName !== undefined && !listening.has(r.address))) {
      drift.push(`the router sends ${route.backend} to ${s.address} (${s.name}), where no container of ${liveName} listens`);
    }
  }
  return drift;
}

/** Every way what runs differs from what the store and the route registry say should. */
export function computeDrift(input: DriftInput): string[] {
  return [...containerDrift(input), ...routeDrift(input)];
}

function interruptedSince(deployments: readonly DeploymentRow[], live: ReleaseWithDeployment | undefined): StatusReport["interrupted"] {
  // The live release's own deployment too: killed after its switch, its retire never ran.
  const since = live?.deployment?.id ?? 0;
  // A build on its own changes nothing that runs: killed, it leaves nothing to put right.
  return deployments.filter((d) => d.status === "interrupted" && d.id >= since && d.kind !== BUILD_KIND).map((d) => ({ id: d.id, kind: d.kind, ref: d.ref, ...(d.error ? { error: d.error } : {}) }));
}

export async function status(app: App, request: ProjectRequest): Promise<StatusReport> {
  // Neither reads the working tree: what is live and what was, not what HEAD would build.
  const env = await openEnvironment(app, request, { withoutCommit: true });
  const { store, engine, router, paths } = await app.deps();
  const { name, environment } = env.project;
  if (environmentDriver(environment.settings) === "swarm") {
    const [releases, deployments, swarm] = await Promise.all([store.releases(env.environmentId, { statuses: ["live"] }), store.recentDeployments(env.environmentId, 20), swarmStatus(app, name, environment.name)]);
    const live = releases.find((r) => r.status === "live");
    const liveName = live ? runsAsOf(live) : undefined;
    return {
      project: name,
      environment: environment.name,
      live: live ? { release: runsAsOf(live), number: live.number, createdAt: live.createdAt } : null,
      containers: [],
      routes: [],
      interrupted: interruptedSince(deployments, live),
      reconciled: describeReconciled(env.reconciled),
      drift: swarmDrift(swarm, liveName),
      swarm,
    };
  }
  const [releases, deployments, containers] = await Promise.all([
    store.releases(env.environmentId, { statuses: ["live", "superseded"] }),
    store.recentDeployments(env.environmentId, 20),
    engine.containers({ [LABEL.project]: name, [LABEL.environment]: environment.name }),
  ]);
  const live = releases.find((r) => r.status === "live");
  const backends = Object.entries(readRegistry(paths.router)).filter(([, b]) => b.project === name && b.environment === environment.name);
  const routes = await Promise.all(
    backends.map(async ([backend, entry]) => ({ backend, listen: entry.listen, hosts: entry.hosts, expected: entry.servers, serving: await router.servers(backend).catch(() => undefined) })),
  );
  // With keep_previous: running (of the project or of a service), the previous release runs on purpose (out of the router).
  const { config } = env.project;
  const keptRunning = config.keep_previous === "running" || Object.values(config.services ?? {}).some((s) => s.keep_previous === "running");
  const kept = keptRunning ? releases.find((r) => r.status === "superseded") : undefined;
  return {
    project: name,
    environment: environment.name,
    live: live ? { release: runsAsOf(live), number: live.number, createdAt: live.createdAt } : null,
    containers,
    routes,
    interrupted: interruptedSince(deployments, live),
    reconciled: describeReconciled(env.reconciled),
    drift: computeDrift({ live, kept, containers, routes }),
  };
}
