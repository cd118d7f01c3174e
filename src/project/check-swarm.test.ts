import { describe, expect, it } from "vitest";
import type { SwarmEngine, SwarmNodeInfo, SwarmTask } from "../adapters/swarm-engine.js";
import type { Clock } from "../core/clock.js";
import { checkSwarm } from "./check-swarm.js";

const node = (hostname: string, extra: Partial<SwarmNodeInfo> = {}): SwarmNodeInfo => ({ id: `id-${hostname}`, hostname, role: "worker", availability: "active", state: "ready", ...extra });

/** A swarm whose tasks answer as `taskOf` says, and that records what was made and removed. */
function fakeSwarm(options: { manager?: boolean; state?: string; nodes?: SwarmNodeInfo[]; taskOf?: (nodeId: string) => SwarmTask | undefined; push?: () => Promise<string> }) {
  const made: string[] = [];
  const removed: string[] = [];
  const byService = new Map<string, string>();
  const swarm: SwarmEngine = {
    membership: () => Promise.resolve({ state: options.state ?? "active", manager: options.manager ?? true }),
    nodes: () => Promise.resolve(options.nodes ?? [node("a", { role: "manager" }), node("b")]),
    buildLabelOnlyImage: (reference) => Promise.resolve(void made.push(reference)),
    pushImage: options.push ?? (() => Promise.resolve("sha256:0")),
    removeImage: (reference) => Promise.resolve(void removed.push(reference)),
    createJob: (spec) => {
      made.push(spec.name);
      byService.set(spec.name, spec.nodeId);
      return Promise.resolve(spec.name);
    },
    tasks: (id) => {
      const task = options.taskOf?.(byService.get(id) ?? "");
      return Promise.resolve(task ? [task] : []);
    },
    removeService: (id) => Promise.resolve(void removed.push(id)),
  };
  return { swarm, made, removed };
}

function fakeClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: (ms) => Promise.resolve(void (now += ms)) };
}

const answers = () => Promise.resolve({ url: "http://r/v2/", status: 200 });
const options = { registry: "r:5000/shop", accessoryVolumes: [{ service: "db", volumes: ["data"] }, { service: "cache", volumes: [] }], nonce: "n1", probeTimeoutMs: 2_000 };

describe("checkSwarm", () => {
  it("proves a pull on every ready node, removes its probes, and notes node-local volumes", async () => {
    const fake = fakeSwarm({ nodes: [node("a", { role: "manager" }), node("b"), node("c", { availability: "drain" })], taskOf: () => ({ state: "failed", error: "starting container failed" }) });
    const result = await checkSwarm(options, { swarm: fake.swarm, askRegistry: answers, clock: fakeClock() });
    expect(result.problems).toEqual([]);
    expect(result.pulls).toEqual([
      { hostname: "a", pulled: true, detail: "pulled" },
      { hostname: "b", pulled: true, detail: "pulled" },
    ]);
    expect(result.notes).toEqual([
      "accessory db: its named volumes (data) are node-local on a swarm: its data stays on the node its task runs on",
      "node c not probed: it is ready, drain",
    ]);
    expect(fake.made).toEqual(["r:5000/shop/slipway-probe:n1", "slipway-probe-n1-1", "slipway-probe-n1-2"]);
    expect([...fake.removed].sort()).toEqual(["r:5000/shop/slipway-probe:n1", "slipway-probe-n1-1", "slipway-probe-n1-2"]);
  });

  it.each<{ name: string; manager: boolean; state: string; says: string }>([
    { name: "not in a swarm", manager: false, state: "inactive", says: "docker swarm init" },
    { name: "a worker", manager: false, state: "active", says: "point DOCKER_HOST at one" },
  ])("on $name: E_SWARM_UNAVAILABLE, nothing probed", async ({ manager, state, says }) => {
    const fake = fakeSwarm({ manager, state });
    const result = await checkSwarm(options, { swarm: fake.swarm, askRegistry: answers, clock: fakeClock() });
    expect(result.problems.map((p) => p.code)).toEqual(["E_SWARM_UNAVAILABLE"]);
    expect(result.problems[0]?.message).toContain(says);
    expect(fake.made).toEqual([]);
  });

  it.each<{ name: string; ask: () => Promise<{ url: string; status: number }>; push?: () => Promise<string> }>([
    { name: "nothing answers", ask: () => Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") })) },
    { name: "something else answers", ask: () => Promise.resolve({ url: "http://r/v2/", status: 404 }) },
    { name: "the push fails", ask: answers, push: () => Promise.reject(new Error("denied")) },
  ])("registry problems: E_REGISTRY_UNREACHABLE when $name", async ({ ask, push }) => {
    const fake = fakeSwarm({ ...(push ? { push } : {}) });
    const result = await checkSwarm(options, { swarm: fake.swarm, askRegistry: ask, clock: fakeClock() });
    expect(result.problems.map((p) => p.code)).toEqual(["E_REGISTRY_UNREACHABLE"]);
    expect(result.pulls).toEqual([]);
  });

  it("pushes and pulls with registry_login's credentials, and names the user when the push is refused", async () => {
    const login = { server: "r:5000", username: "deploy", password: "s3cret" };
    const pushedWith: unknown[] = [];
    const jobs: unknown[] = [];
    const fake = fakeSwarm({ taskOf: () => ({ state: "failed", error: "starting container failed" }) });
    const swarm: SwarmEngine = {
      ...fake.swarm,
      pushImage: (_reference, given) => {
        pushedWith.push(given);
        return Promise.resolve("sha256:0");
      },
      createJob: (spec) => {
        jobs.push(spec.login);
        return fake.swarm.createJob(spec);
      },
    };
    const deleted: string[] = [];
    const manifests = {
      digestOf: (repository: string, tag: string) => Promise.resolve(`sha256:${repository}:${tag}`),
      deleteManifest: (repository: string, digest: string) => Promise.resolve(void deleted.push(`${repository}@${digest}`)).then(() => "deleted" as const),
    };
    const result = await checkSwarm({ ...options, login }, { swarm, askRegistry: answers, clock: fakeClock(), manifests });
    expect(result.problems).toEqual([]);
    expect(pushedWith).toEqual([login]);
    expect(jobs).toEqual([login, login]);
    // The probe's manifest goes from the registry too.
    expect(deleted).toEqual(["shop/slipway-probe@sha256:shop/slipway-probe:n1"]);

    const refused = await checkSwarm({ ...options, login }, { swarm: { ...swarm, pushImage: () => Promise.reject(new Error("unauthorized: authentication required")) }, askRegistry: answers, clock: fakeClock() });
    expect(refused.problems.map((p) => p.message)).toEqual([
      "pushing to the registry r:5000/shop failed (unauthorized: authentication required): check registry_login (user deploy) and its password variable, or fix registry:",
    ]);
  });

  it("a rejected task, and one that never leaves pending, are nodes that cannot pull", async () => {
    const tasks: Record<string, SwarmTask> = { "id-a": { state: "rejected", error: "No such image: r:5000/shop/slipway-probe:n1" }, "id-b": { state: "pending" } };
    const fake = fakeSwarm({ taskOf: (id) => tasks[id] });
    const result = await checkSwarm(options, { swarm: fake.swarm, askRegistry: answers, clock: fakeClock() });
    expect(result.problems.map((p) => p.code)).toEqual(["E_NODE_CANNOT_PULL", "E_NODE_CANNOT_PULL"]);
    expect(result.pulls).toEqual([
      { hostname: "a", pulled: false, detail: "No such image: r:5000/shop/slipway-probe:n1" },
      { hostname: "b", pulled: false, detail: "no answer within 2 s, the probe still pending" },
    ]);
    expect(fake.removed).toContain("slipway-probe-n1-2");
  });
});
