import { describe, expect, it } from "vitest";
import { isRouterError } from "./router-error.js";
import { renderSwarmRouterConfig, withoutSlots, type SwarmRoute } from "./swarm-router-config.js";
import { SPEC_LABEL, swarmRouterServiceSpec } from "./swarm-router-service.js";

const socket = "/run/slipway/admin.sock";
const OPTIONS = "resolvers docker init-addr none check inter 1s fall 2 rise 1 pool-max-conn -1 pool-purge-delay 5s";

describe("renderSwarmRouterConfig", () => {
  it("renders two groups of slots per backend, the live one resolving its service's tasks", () => {
    const routes: SwarmRoute[] = [
      { backend: "shop_live_web", listen: 8080, port: 8000, live: { group: "b", service: "shop-live-v3_web" } },
      { backend: "blog_live_web", listen: 80, port: 80, slots: 2 },
    ];
    const text = renderSwarmRouterConfig({ routes, adminSocket: socket, configDir: "/etc/h" });
    expect(text).toContain("resolvers docker\n    nameserver dns 127.0.0.11:53\n    accepted_payload_size 8192\n");
    expect(text).not.toContain("on-marked-down");
    expect(text).toContain("    http-reuse safe\n");
    expect(text.slice(text.indexOf("frontend"))).toBe(`frontend port:80
    bind :80
    default_backend blog_live_web

frontend port:8080
    bind :8080
    default_backend shop_live_web

backend blog_live_web
    balance roundrobin
    server-template a 1-2 idle.slipway.invalid:80 ${OPTIONS} disabled
    server-template b 1-2 idle.slipway.invalid:80 ${OPTIONS} disabled

backend shop_live_web
    balance roundrobin
    server-template a 1-8 idle.slipway.invalid:8000 ${OPTIONS} disabled
    server-template b 1-8 tasks.shop-live-v3_web:8000 ${OPTIONS}
`);
  });

  it("differs only in its slot lines when only the live release changed", () => {
    const route: SwarmRoute = { backend: "web", listen: 8080, port: 8000 };
    const before = renderSwarmRouterConfig({ routes: [route], adminSocket: socket, configDir: "/etc/h" });
    const after = renderSwarmRouterConfig({ routes: [{ ...route, live: { group: "a", service: "app-v1_web" } }], adminSocket: socket, configDir: "/etc/h" });
    expect(after).not.toBe(before);
    expect(withoutSlots(after)).toBe(withoutSlots(before));
  });

  it("needs a reload for another slot count or port, not for another live release", () => {
    const route: SwarmRoute = { backend: "web", listen: 8080, port: 8000 };
    const render = (r: SwarmRoute): string => withoutSlots(renderSwarmRouterConfig({ routes: [r], adminSocket: socket, configDir: "/etc/h" }));
    expect(render({ ...route, slots: 4 })).not.toBe(render(route));
    expect(render({ ...route, port: 9000 })).not.toBe(render(route));
    expect(render({ ...route, live: { group: "b", service: "x_web" } })).toBe(render(route));
  });

  it.each([
    ["a port routed twice", [{ backend: "a", listen: 80, port: 80 }, { backend: "b", listen: 80, port: 80 }]],
    ["a backend routed twice", [{ backend: "a", listen: 80, port: 80 }, { backend: "a", listen: 81, port: 80 }]],
    ["a service name with a space", [{ backend: "a", listen: 80, port: 80, live: { group: "a", service: "x y" } }]],
    ["no slot", [{ backend: "a", listen: 80, port: 80, slots: 0 }]],
  ] as Array<[string, SwarmRoute[]]>)("refuses %s", (_name, routes) => {
    let error: unknown;
    try {
      renderSwarmRouterConfig({ routes, adminSocket: socket, configDir: "/etc/h" });
    } catch (caught) {
      error = caught;
    }
    expect(isRouterError(error, "E_ROUTER_CONFIG")).toBe(true);
  });
});

describe("swarmRouterServiceSpec", () => {
  const input = { name: "slipway-router", image: "haproxy:2.6", nodeId: "n1", network: "slipway-edge", etcDir: "/r/etc", runDir: "/r/run", ports: [8080, 80], labels: {} };

  it("places one task on the node, publishes the ports in host mode and hashes the spec into a label", () => {
    const spec = swarmRouterServiceSpec(input) as unknown as {
      TaskTemplate: { Placement: unknown; ContainerSpec: { Init: boolean } };
      EndpointSpec: { Ports: unknown };
      Labels: Record<string, string>;
    };
    expect(spec.TaskTemplate.Placement).toEqual({ Constraints: ["node.id==n1"] });
    expect(spec.TaskTemplate.ContainerSpec.Init).toBe(true);
    expect(spec.EndpointSpec.Ports).toEqual([
      { Protocol: "tcp", TargetPort: 80, PublishedPort: 80, PublishMode: "host" },
      { Protocol: "tcp", TargetPort: 8080, PublishedPort: 8080, PublishMode: "host" },
    ]);
    expect(spec.Labels[SPEC_LABEL]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("hashes the same spec the same, and another port set differently", () => {
    const hash = (ports: number[]): string | undefined => (swarmRouterServiceSpec({ ...input, ports }).Labels as Record<string, string>)[SPEC_LABEL];
    expect(hash([80, 8080])).toBe(hash([8080, 80]));
    expect(hash([80])).not.toBe(hash([80, 8080]));
  });
});
