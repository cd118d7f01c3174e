import { describe, expect, it } from "vitest";
import type { ComposeModel } from "./compose-model.js";
import { swarmReplicas } from "./swarm-replicas.js";

const model: ComposeModel = {
  services: { web: { image: "web", deploy: { replicas: 2 } }, worker: { image: "web" }, db: { image: "postgres", deploy: { replicas: 4 } } },
};

describe("swarmReplicas", () => {
  it.each<{ name: string; configured?: Record<string, number>; replicas: Record<string, number>; problems?: string[] }>([
    { name: "compose's deploy.replicas, else 1", replicas: { web: 2, worker: 1 } },
    { name: "slipway.yml wins over compose", configured: { web: 3, worker: 0 }, replicas: { web: 3, worker: 0 } },
    {
      name: "a name that is no app service",
      configured: { wbe: 3, db: 2 },
      replicas: { web: 2, worker: 1 },
      problems: ["replicas.wbe: no app service is named wbe (app services: web, worker)", "replicas.db: no app service is named db (app services: web, worker)"],
    },
  ])("$name", ({ configured, replicas, problems = [] }) => {
    expect(swarmReplicas(model, ["web", "worker"], configured)).toEqual({ replicas, problems });
  });
});
