import { describe, expect, it } from "vitest";
import { isRouterError } from "./router-error.js";
import { publishedPorts, renderSwarmRouterConfig, renderSwarmWebFiles, withoutSlots, type SwarmRoute } from "./swarm-router-config.js";
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
    ["a host routed to two backends", [{ backend: "a", listen: 0, port: 80, hosts: ["shop.test"] }, { backend: "b", listen: 0, port: 80, hosts: ["shop.test"] }]],
    ["a port route on the web port beside a host route", [{ backend: "a", listen: 0, port: 80, hosts: ["shop.test"] }, { backend: "b", listen: 443, port: 80 }]],
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

describe("host names on the swarm router", () => {
  const routes: SwarmRoute[] = [
    { backend: "shop_live_web", listen: 0, port: 8000, hosts: ["shop.test", "www.shop.test"], certificate: "shop-live", hsts: true, live: { group: "a", service: "shop-live-v2_web" } },
    { backend: "blog_live_web", listen: 0, port: 80, hosts: ["blog.test"] },
    { backend: "api_live_web", listen: 8080, port: 8000 },
  ];
  const web = { http: 8081, https: 8443 };

  it("serves them on the shared web frontends, by the hosts map, with the port routes beside", () => {
    const text = renderSwarmRouterConfig({ routes, adminSocket: socket, configDir: "/usr/local/etc/haproxy", web });
    expect(text).toContain("frontend web-http\n    bind :8081\n");
    expect(text).toContain("frontend web-https\n    bind :8443 ssl crt-list /usr/local/etc/haproxy/certs.list alpn h2,http/1.1\n");
    expect(text).toContain("    use_backend %[var(txn.host),map(/usr/local/etc/haproxy/maps/hosts.map)]\n");
    expect(text).toContain("/.well-known/acme-challenge/");
    expect(text).toContain("frontend port:8080\n    bind :8080\n    default_backend api_live_web\n");
    expect(text).not.toContain("frontend port:0");
    expect(text).toContain(`backend shop_live_web\n    balance roundrobin\n    server-template a 1-8 tasks.shop-live-v2_web:8000 ${OPTIONS}\n`);
  });

  it("publishes the web ports only while a route has hosts", () => {
    expect(publishedPorts(routes, web).sort((a, b) => a - b)).toEqual([8080, 8081, 8443]);
    expect(publishedPorts([routes[2] as SwarmRoute], web)).toEqual([8080]);
    expect(renderSwarmRouterConfig({ routes: [routes[2] as SwarmRoute], adminSocket: socket, configDir: "/etc/h", web })).not.toContain("frontend web-http");
  });

  it("maps every host to its backend, and to HTTPS and HSTS once its certificate is installed", () => {
    const without = renderSwarmWebFiles(routes, [], web);
    expect(without["maps/hosts.map"]).toBe("blog.test blog_live_web\nshop.test shop_live_web\nwww.shop.test shop_live_web\n");
    expect(without["maps/https.map"]).toBe("");
    const installed = renderSwarmWebFiles(routes, ["shop-live"], web);
    expect(installed["maps/https.map"]).toBe("shop.test https://shop.test:8443\nwww.shop.test https://www.shop.test:8443\n");
    expect(installed["maps/hsts.map"]).toBe("shop.test max-age=31536000\nwww.shop.test max-age=31536000\n");
    expect(installed["certs.list"]).toBe("/usr/local/etc/haproxy/certs/_default.pem\n/usr/local/etc/haproxy/certs/shop-live.pem\n");
  });

  it("needs no reload when a host is added to a route that has hosts (maps only)", () => {
    const render = (r: SwarmRoute[]): string => withoutSlots(renderSwarmRouterConfig({ routes: r, adminSocket: socket, configDir: "/etc/h", web }));
    const more = routes.map((r) => (r.backend === "blog_live_web" ? { ...r, hosts: ["blog.test", "news.test"] } : r));
    expect(render(more)).toBe(render(routes));
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
