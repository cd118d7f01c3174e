import { describe, expect, it } from "vitest";
import { renderRouterConfig, routesPart, type RouterRoute, type RouterState } from "./render-config.js";
import { isRouterError } from "./router-error.js";

const socket = "/run/slipway/admin.sock";

const HEAD = `# Written by Slipway from its routes; changes made here are overwritten.
global
    master-worker
    stats socket /run/slipway/admin.sock mode 600 level admin expose-fd listeners
    stats timeout 30s
    log stdout format raw local0 notice

defaults
    mode http
    log global
    option forwardfor
    option http-server-close
    option redispatch 1
    retries 3
    retry-on conn-failure
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 30s
    timeout tunnel 1h
`;

describe("renderRouterConfig", () => {
  it("renders hosts, a default backend and a 503 port, sorted", () => {
    const routes: RouterRoute[] = [
      { backend: "shop_live_web_8000", listen: 8080, hosts: ["Shop.Example", "www.shop.example"] },
      { backend: "blog_live_web_80", listen: 8080, hosts: ["blog.example"] },
      { backend: "admin_live_web_80", listen: 80, hosts: [] },
      { backend: "api_live_api_9000", listen: 8443, hosts: ["api.example"] },
    ];
    expect(renderRouterConfig({ routes, adminSocket: socket })).toBe(`${HEAD}
frontend port:80
    bind :80
    default_backend admin_live_web_80

frontend port:8080
    bind :8080
    use_backend blog_live_web_80 if { hdr(host) -i blog.example blog.example:8080 }
    use_backend shop_live_web_8000 if { hdr(host) -i shop.example shop.example:8080 www.shop.example www.shop.example:8080 }

frontend port:8443
    bind :8443
    use_backend api_live_api_9000 if { hdr(host) -i api.example api.example:8443 }

backend admin_live_web_80
    balance roundrobin

backend api_live_api_9000
    balance roundrobin

backend blog_live_web_80
    balance roundrobin

backend shop_live_web_8000
    balance roundrobin
`);
  });

  it("renders no proxy at all for no routes", () => {
    expect(renderRouterConfig({ routes: [], adminSocket: socket })).toBe(HEAD);
  });

  it("renders each route's servers, drained ones disabled, and the socket owner", () => {
    const state: RouterState = {
      routes: [{ backend: "app", listen: 80, hosts: [], servers: [{ name: "v2-web-1", address: "127.0.0.1:49154", enabled: true }, { name: "v1-web-1", address: "[::1]:49153", enabled: false }] }],
      adminSocket: socket,
      adminSocketUid: 1000,
    };
    const text = renderRouterConfig(state);
    expect(text).toContain("    stats socket /run/slipway/admin.sock mode 600 level admin expose-fd listeners uid 1000\n");
    expect(text.endsWith(`backend app
    balance roundrobin
    server v1-web-1 [::1]:49153 disabled
    server v2-web-1 127.0.0.1:49154
`)).toBe(true);
  });

  it("tells configs apart by their routes, not by their servers", () => {
    const route: RouterRoute = { backend: "app", listen: 80, hosts: ["app.example"] };
    const bare = renderRouterConfig({ routes: [route], adminSocket: socket });
    const served = renderRouterConfig({ routes: [{ ...route, servers: [{ name: "v1-web-1", address: "127.0.0.1:20001", enabled: true }] }], adminSocket: socket });
    expect(served).not.toBe(bare);
    expect(routesPart(served)).toBe(routesPart(bare));
    expect(routesPart(bare)).toBe(bare);
    expect(routesPart(renderRouterConfig({ routes: [{ ...route, listen: 81 }], adminSocket: socket }))).not.toBe(routesPart(bare));
  });

  it("renders the same text whatever the order of routes and hosts", () => {
    const a: RouterRoute = { backend: "a", listen: 80, hosts: ["x.example", "y.example"] };
    const b: RouterRoute = { backend: "b", listen: 81, hosts: [] };
    const first = renderRouterConfig({ routes: [a, b], adminSocket: socket });
    expect(renderRouterConfig({ routes: [b, { ...a, hosts: ["y.example", "x.example", "X.example"] }], adminSocket: socket })).toBe(first);
  });

  const rejected: Array<{ name: string; state: RouterState }> = [
    { name: "a backend name with a space", state: { routes: [{ backend: "app web", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "a backend name with a semicolon", state: { routes: [{ backend: "app;del", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "an empty backend name", state: { routes: [{ backend: "", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "the same backend twice", state: { routes: [{ backend: "app", listen: 80, hosts: ["a.example"] }, { backend: "app", listen: 81, hosts: [] }], adminSocket: socket } },
    { name: "two host-less routes on one port", state: { routes: [{ backend: "a", listen: 80, hosts: [] }, { backend: "b", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "one host on one port to two backends", state: { routes: [{ backend: "a", listen: 80, hosts: ["x.example"] }, { backend: "b", listen: 80, hosts: ["X.example"] }], adminSocket: socket } },
    { name: "port 0", state: { routes: [{ backend: "a", listen: 0, hosts: [] }], adminSocket: socket } },
    { name: "port 65536", state: { routes: [{ backend: "a", listen: 65536, hosts: [] }], adminSocket: socket } },
    { name: "a host with a port", state: { routes: [{ backend: "a", listen: 80, hosts: ["x.example:80"] }], adminSocket: socket } },
    { name: "a wildcard host", state: { routes: [{ backend: "a", listen: 80, hosts: ["*.example"] }], adminSocket: socket } },
    { name: "a relative socket path", state: { routes: [], adminSocket: "admin.sock" } },
    { name: "a server named with a space", state: { routes: [{ backend: "a", listen: 80, hosts: [], servers: [{ name: "v1 web", address: "127.0.0.1:1", enabled: true }] }], adminSocket: socket } },
    { name: "a server at a host name", state: { routes: [{ backend: "a", listen: 80, hosts: [], servers: [{ name: "v1", address: "localhost:8080", enabled: true }] }], adminSocket: socket } },
    {
      name: "one server name twice in a backend",
      state: { routes: [{ backend: "a", listen: 80, hosts: [], servers: [{ name: "v1", address: "127.0.0.1:1", enabled: true }, { name: "v1", address: "127.0.0.1:2", enabled: true }] }], adminSocket: socket },
    },
  ];

  it.each(rejected)("rejects $name with E_ROUTER_CONFIG", ({ state }) => {
    let thrown: unknown;
    try {
      renderRouterConfig(state);
    } catch (error) {
      thrown = error;
    }
    expect(isRouterError(thrown, "E_ROUTER_CONFIG")).toBe(true);
  });

  it("accepts one host in two backends on two ports", () => {
    const routes = [{ backend: "a", listen: 80, hosts: ["x.example"] }, { backend: "b", listen: 81, hosts: ["x.example"] }];
    expect(() => renderRouterConfig({ routes, adminSocket: socket })).not.toThrow();
  });
});
