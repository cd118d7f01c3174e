/** Status: what the store says is live, what the engine runs, what the router serves, and where they differ. */
import type { ContainerState } from "../adapters/docker-engine.js";
import { LABEL } from "../plan/naming.js";
import { runsAsOf } from "../pipeline/release-snapshot.js";
import { readRegistry } from "../pipeline/route-registry.js";
import type { RouterServer } from "../router/router.js";
import type { ReleaseRow } from "../store/store.js";
import type { App } from "./app.js";
import { openEnvironment, type ProjectRequest } from "./project.js";

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
  readonly drift: readonly string[];
}

/** Every way what runs differs from what the store and the route registry say should. */
export function computeDrift(input: { live: ReleaseRow | undefined; kept: ReleaseRow | undefined; containers: readonly ContainerState[]; routes: readonly RouteStatus[] }): string[] {
  const drift: string[] = [];
  const liveName = input.live ? runsAsOf(input.live) : undefined;
  const running = input.containers.filter((c) => c.status === "running" && c.labels[LABEL.role] === "app");
  if (liveName && !running.some((c) => c.labels[LABEL.release] === liveName)) drift.push(`the store says ${liveName} is live, but none of its containers runs`);
  const expected = new Set([liveName, ...(input.kept ? [runsAsOf(input.kept)] : [])]);
  for (const other of new Set(running.map((c) => c.labels[LABEL.release]).filter((r) => !expected.has(r)))) drift.push(`${other} runs but is not the live release`);
  for (const route of input.routes) {
    if (!route.serving) drift.push(`the router does not answer for ${route.backend}: deploy again to recreate it`);
    else for (const s of route.expected.filter((e) => !route.serving?.some((r) => r.name === e.name))) drift.push(`the router lacks ${s.name} in ${route.backend} (restarted?): deploy again to restore it`);
  }
  return drift;
}

export async function status(app: App, request: ProjectRequest): Promise<StatusReport> {
  const env = await openEnvironment(app, request);
  const { store, engine, router, paths } = await app.deps();
  const { name, environment } = env.project;
  const live = await store.liveRelease(env.environmentId);
  const containers = await engine.containers({ [LABEL.project]: name, [LABEL.environment]: environment.name });
  const backends = Object.entries(readRegistry(paths.router)).filter(([, b]) => b.project === name && b.environment === environment.name);
  const routes = await Promise.all(
    backends.map(async ([backend, entry]) => ({ backend, listen: entry.listen, hosts: entry.hosts, expected: entry.servers, serving: await router.servers(backend).catch(() => undefined) })),
  );
  // With keep_previous: running, the previous release runs on purpose (out of the router).
  const kept = env.project.config.keep_previous === "running" ? (await store.releases(env.environmentId)).find((r) => r.status === "superseded") : undefined;
  const drift = computeDrift({ live, kept, containers, routes });
  return { project: name, environment: environment.name, live: live ? { release: runsAsOf(live), number: live.number, createdAt: live.createdAt } : null, containers, routes, drift };
}
