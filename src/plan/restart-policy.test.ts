import { describe, expect, it } from "vitest";
import { restartPolicyOf, withDefaultRestart, withoutRestart, type RestartPolicy } from "./restart-policy.js";

describe("restart policies", () => {
  it.each<{ name: string; service: Record<string, unknown>; planned: Record<string, unknown> }>([
    { name: "none given: unless-stopped", service: { image: "a" }, planned: { image: "a", restart: "unless-stopped" } },
    { name: "restart given, even no", service: { restart: "no" }, planned: { restart: "no" } },
    { name: "deploy.restart_policy given", service: { deploy: { restart_policy: { condition: "on-failure" } } }, planned: { deploy: { restart_policy: { condition: "on-failure" } } } },
  ])("a service: $name", ({ service, planned }) => {
    expect(withDefaultRestart(service)).toEqual(planned);
  });

  it("the release task: never restarted, whatever the compose files say", () => {
    expect(withoutRestart({ image: "a", restart: "always", deploy: { replicas: 1, restart_policy: { condition: "any" } } })).toEqual({ image: "a", deploy: { replicas: 1 } });
    expect(withoutRestart({ image: "a" })).toEqual({ image: "a" });
  });

  it.each<{ name: string; service: Record<string, unknown>; policy: RestartPolicy }>([
    { name: "unless-stopped", service: { restart: "unless-stopped" }, policy: { name: "unless-stopped" } },
    { name: "always", service: { restart: "always" }, policy: { name: "always" } },
    { name: "on-failure with a count", service: { restart: "on-failure:3" }, policy: { name: "on-failure", maximumRetryCount: 3 } },
    { name: "no", service: { restart: "no" }, policy: { name: "no" } },
    { name: "nothing", service: {}, policy: { name: "no" } },
    { name: "deploy: any", service: { deploy: { restart_policy: { condition: "any" } } }, policy: { name: "always" } },
    { name: "deploy: on-failure, 5 attempts", service: { deploy: { restart_policy: { condition: "on-failure", max_attempts: 5 } } }, policy: { name: "on-failure", maximumRetryCount: 5 } },
    { name: "deploy: none", service: { deploy: { restart_policy: { condition: "none" } } }, policy: { name: "no" } },
  ])("the engine's policy for $name", ({ service, policy }) => {
    expect(restartPolicyOf(service)).toEqual(policy);
  });
});
