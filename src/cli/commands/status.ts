/** `slipway status`: what the store says is live, what the engine runs, what the router serves, and where they differ. */
import { LABEL } from "../../plan/naming.js";
import { runsAsOf } from "../../pipeline/deploy.js";
import { readRegistry } from "../../pipeline/route-registry.js";
import type { CommandContext } from "../context.js";
import { ago, openEnvironment } from "./environment.js";
import type { ProjectFlags } from "./load.js";

export async function runStatus(ctx: CommandContext, flags: ProjectFlags & { json?: boolean }): Promise<number> {
  await using env = await openEnvironment(ctx, flags);
  const { store, engine, router, paths } = env.runtime.deps;
  const { name, environment } = env.project;
  const live = await store.liveRelease(env.environmentId);
  const containers = await engine.containers({ [LABEL.project]: name, [LABEL.environment]: environment.name });
  const backends = Object.entries(readRegistry(paths.router)).filter(([, b]) => b.project === name && b.environment === environment.name);
  const routes = await Promise.all(
    backends.map(async ([backend, entry]) => ({
      backend,
      listen: entry.listen,
      hosts: entry.hosts,
      expected: entry.servers,
      serving: await router.servers(backend).catch(() => undefined),
    })),
  );
  const drift: string[] = [];
  const liveName = live ? runsAsOf(live) : undefined;
  const running = containers.filter((c) => c.status === "running" && c.labels[LABEL.role] === "app");
  if (liveName && !running.some((c) => c.labels[LABEL.release] === liveName)) drift.push(`the store says ${liveName} is live, but none of its containers runs`);
  // With keep_previous: running, the previous release runs on purpose (out of the router).
  const kept = env.project.config.keep_previous === "running" ? (await store.releases(env.environmentId)).find((r) => r.status === "superseded") : undefined;
  const expected = new Set([liveName, ...(kept ? [runsAsOf(kept)] : [])]);
  for (const other of new Set(running.map((c) => c.labels[LABEL.release]).filter((r) => !expected.has(r)))) drift.push(`${other} runs but is not the live release`);
  for (const route of routes) {
    if (!route.serving) drift.push(`the router does not answer for ${route.backend}: run slipway deploy to recreate it`);
    else for (const s of route.expected.filter((e) => !route.serving?.some((r) => r.name === e.name))) drift.push(`the router lacks ${s.name} in ${route.backend} (restarted?): run slipway deploy to restore it`);
  }
  const report = { project: name, environment: environment.name, live: live ? { release: liveName, createdAt: live.createdAt } : null, containers, routes, drift };
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const shown = live ? `v${live.number}${liveName === `v${live.number}` ? "" : ` (running as ${liveName})`}` : undefined;
  const lines = [`${name}, environment ${environment.name}`, `live: ${live ? `${shown}, released ${ago(live.createdAt)}` : "nothing deployed yet"}`];
  lines.push("containers:");
  for (const c of containers) lines.push(`  ${c.name}  ${c.labels[LABEL.role] ?? "?"}  ${c.status}${c.health && c.status === "running" ? ` (${c.health})` : ""}`);
  if (containers.length === 0) lines.push("  none");
  for (const r of routes) {
    const served = (r.serving ?? []).map((s) => `${s.name} ${s.address} ${s.state}`).join(", ") || "no server";
    lines.push(`route: :${r.listen}${r.hosts.length ? ` ${r.hosts.join(",")}` : ""} -> ${served}`);
  }
  lines.push(drift.length ? `drift:\n${drift.map((d) => `  ${d}`).join("\n")}` : "drift: none");
  ctx.io.stdout(`${lines.join("\n")}\n`);
  return 0;
}
