/** How each service of a superseded release is kept, against exact expected plans. */
import { describe, expect, it } from "vitest";
import type { SlipwayConfig } from "../config/slipway-schema.js";
import type { Classification, ServiceClass } from "./classify.js";
import type { ComposeModel } from "./compose-model.js";
import { planKeep, type KeepPlan } from "./keep-previous.js";

const TCP = { probe: { type: "tcp" }, intervalMs: 1000, timeoutMs: 2000, passes: 2, deadlineMs: 60_000 } as const;
const app = (name: string, extra: Partial<ServiceClass> = {}): ServiceClass => ({ name, role: "app", reason: "builds an image", stopFirst: false, ...extra });

/** proxy (routed) → api → cache (app); worker and scheduler beside them; db an accessory. */
const classification: Classification = {
  services: [app("proxy"), app("api"), app("cache"), app("worker"), app("scheduler", { stopFirst: true }), { name: "db", role: "accessory", reason: "an image", stopFirst: false }],
  routes: [{ service: "proxy", port: 80, listen: 8080, hosts: [], readiness: TCP }],
  problems: [],
};
const model: ComposeModel = {
  services: {
    proxy: { depends_on: { api: { condition: "service_started" } } },
    api: { depends_on: { cache: { condition: "service_started" }, db: { condition: "service_healthy" } } },
    cache: {},
    worker: { depends_on: { db: { condition: "service_started" }, api: { condition: "service_started" } } },
    scheduler: {},
    db: {},
  },
};

const cases: Array<{ name: string; config: Pick<SlipwayConfig, "keep_previous" | "services">; expected: KeepPlan }> = [
  {
    name: "auto (the default): what serves requests paused, through depends_on; workers and schedulers stopped",
    config: {},
    expected: { serving: ["api", "cache", "proxy"], keep: { proxy: "paused", api: "paused", cache: "paused", worker: "stopped", scheduler: "stopped" } },
  },
  {
    name: "stopped: everything stopped",
    config: { keep_previous: "stopped" },
    expected: { serving: ["api", "cache", "proxy"], keep: { proxy: "stopped", api: "stopped", cache: "stopped", worker: "stopped", scheduler: "stopped" } },
  },
  {
    name: "running: all kept running but the stop-first scheduler, which never runs twice",
    config: { keep_previous: "running" },
    expected: { serving: ["api", "cache", "proxy"], keep: { proxy: "running", api: "running", cache: "running", worker: "running", scheduler: "stopped" } },
  },
  {
    name: "a service's own setting wins over the project's, but not over stop_first",
    config: { keep_previous: "auto", services: { worker: { keep_previous: "paused" }, scheduler: { keep_previous: "running", stop_first: true }, proxy: { keep_previous: "stopped" } } },
    expected: { serving: ["api", "cache", "proxy"], keep: { proxy: "stopped", api: "paused", cache: "paused", worker: "paused", scheduler: "stopped" } },
  },
];

describe("planKeep", () => {
  it.each(cases)("$name", ({ config, expected }) => {
    expect(planKeep(classification, model, config)).toEqual(expected);
  });

  it("a depends_on cycle ends; a routed service with no dependencies serves alone", () => {
    const cyclic: ComposeModel = { services: { proxy: { depends_on: { api: {} } }, api: { depends_on: { proxy: {} } }, cache: {}, worker: {}, scheduler: {}, db: {} } };
    expect(planKeep(classification, cyclic, {}).serving).toEqual(["api", "proxy"]);
    expect(planKeep({ ...classification, routes: [{ ...classification.routes[0]!, service: "cache" }] }, model, {}).serving).toEqual(["cache"]);
  });
});
