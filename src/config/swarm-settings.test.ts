import { describe, expect, it } from "vitest";
import { readSlipwayConfig } from "./read-slipway-config.js";
import { environmentDriver } from "./environment-driver.js";

const lines = (...rows: string[]): string => rows.join("\n") + "\n";

function problemsOf(text: string): Array<[number, string]> {
  const result = readSlipwayConfig("slipway.yml", text);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.config)}`);
  return result.problems.map((p) => [p.position.line, p.message]);
}

describe("slipway.yml: the swarm driver's settings", () => {
  it("reads driver, registry and replicas of an environment", () => {
    const result = readSlipwayConfig("slipway.yml", lines("environments:", "  live:", "    driver: swarm", "    registry: registry.example.com/shop", "    replicas: { web: 3 }"));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const live = result.config.environments?.live;
    expect({ driver: environmentDriver(live), registry: live?.registry, replicas: live?.replicas }).toEqual({ driver: "swarm", registry: "registry.example.com/shop", replicas: { web: 3 } });
  });

  it("defaults to the compose driver", () => {
    const result = readSlipwayConfig("slipway.yml", lines("environments:", "  test: { branch: develop }"));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(environmentDriver(result.config.environments?.test)).toBe("compose");
    expect(environmentDriver(undefined)).toBe("compose");
  });

  it.each<{ name: string; text: string; problems: Array<[number, string]> }>([
    {
      name: "swarm without a registry",
      text: lines("environments:", "  live:", "    driver: swarm"),
      problems: [[3, "environments.live.registry: required with driver: swarm: the registry every node pulls from, such as registry.example.com/shop"]],
    },
    {
      name: "an unknown driver",
      text: lines("environments:", "  live:", "    driver: kubernetes"),
      problems: [[3, 'environments.live.driver: Invalid option: expected one of "compose"|"swarm"']],
    },
    {
      name: "a registry given as a URL",
      text: lines("environments:", "  live:", "    driver: swarm", "    registry: https://registry.example.com"),
      problems: [[4, "environments.live.registry: write host[:port][/path], without a scheme: registry.example.com/shop, 127.0.0.1:5000"]],
    },
    {
      name: "replicas that are not whole numbers",
      text: lines("environments:", "  live:", "    driver: swarm", "    registry: r.example.com", "    replicas: { web: -1 }"),
      problems: [[5, "environments.live.replicas.web: Too small: expected number to be >=0"]],
    },
    {
      name: "registry and replicas without the swarm driver",
      text: lines("environments:", "  test:", "    registry: r.example.com", "    replicas: { web: 2 }"),
      problems: [
        [3, "environments.test.registry: only the swarm driver uses it: add driver: swarm, or remove it"],
        [4, "environments.test.replicas: only the swarm driver uses it: add driver: swarm, or remove it"],
      ],
    },
  ])("$name", ({ text, problems }) => {
    expect(problemsOf(text)).toEqual(problems);
  });
});
