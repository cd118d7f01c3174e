/**
 * How each app service of the previous release waits for a rollback (`keep_previous`), and
 * which services must answer before traffic can come back to it (the serving ones).
 *
 * `auto`, the default: the serving services (routed ones, and the app services they depend on,
 * transitively) are kept paused: they only answer requests, so a frozen one misses nothing and
 * thaws in milliseconds. The others (workers, schedulers) are stopped: a frozen worker would
 * hold the jobs it had taken, and a scheduler must never wake up beside the live one.
 */
import type { KeepPrevious, SlipwayConfig } from "../config/slipway-schema.js";
import type { Classification } from "./classify.js";
import type { ComposeModel } from "./compose-model.js";

/** What one kept container is between its release's retirement and a rollback to it. */
export type KeptAs = "stopped" | "paused" | "running";

export interface KeepPlan {
  /** Services a rollback waits for before the switch; the others start after it. */
  readonly serving: readonly string[];
  /** How each app service of a superseded release is kept. */
  readonly keep: Readonly<Record<string, KeptAs>>;
}

/** Routed services and every app service they reach through depends_on. */
export function servingServices(classification: Classification, model: ComposeModel): string[] {
  const apps = new Set(classification.services.filter((s) => s.role === "app").map((s) => s.name));
  const serving = new Set<string>();
  const visit = (name: string): void => {
    if (!apps.has(name) || serving.has(name)) return;
    serving.add(name);
    for (const dependency of Object.keys(model.services[name]?.depends_on ?? {})) visit(dependency);
  };
  for (const route of classification.routes) visit(route.service);
  return [...serving].sort();
}

export function planKeep(classification: Classification, model: ComposeModel, config: Pick<SlipwayConfig, "keep_previous" | "services">): KeepPlan {
  const mode: KeepPrevious = config.keep_previous ?? "auto";
  const serving = servingServices(classification, model);
  const keep: Record<string, KeptAs> = {};
  for (const service of classification.services.filter((s) => s.role === "app")) {
    const declared = config.services?.[service.name]?.keep_previous;
    // A stop-first service is one that must never run twice: never kept running or frozen.
    if (service.stopFirst) keep[service.name] = "stopped";
    else if (declared) keep[service.name] = declared;
    else if (mode === "auto") keep[service.name] = serving.includes(service.name) ? "paused" : "stopped";
    else keep[service.name] = mode;
  }
  return { serving, keep };
}
