import { describe, expect, it } from "vitest";
import { renderRouterConfig, renderWebFiles, routesPart, type RouterRoute, type RouterState } from "./render-config.js";
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
    option http-keep-alive
    http-reuse safe
    option redispatch 1
    retries 3
    retry-on conn-failure
    option idle-close-on-response
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 30s
    timeout tunnel 1h
`;

describe("renderRouterConfig", () => {
  it("renders port routes on their ports, and host routes on the shared web frontends, sorted", () => {
    const routes: RouterRoute[] = [
      { backend: "shop_live_web_8000", listen: 0, hosts: ["Shop.Example", "www.shop.example"], certificate: "shop_live", hsts: true },
      { backend: "blog_live_web_80", listen: 0, hosts: ["blog.example"] },
      { backend: "admin_live_web_80", listen: 8080, hosts: [] },
    ];
    expect(renderRouterConfig({ routes, adminSocket: socket, web: { http: 8000, https: 8443 } })).toBe(`${HEAD}
frontend web-http
    bind :8000
    http-request set-var(txn.host) req.hdr(host),lower,word(1,:)
    http-request set-var(txn.acme) path,field(4,/),map(/usr/local/etc/haproxy/maps/acme.map) if { path_beg /.well-known/acme-challenge/ }
    http-request return status 200 content-type text/plain lf-string "%[var(txn.acme)]" if { var(txn.acme) -m found }
    http-request redirect code 308 location "%[var(txn.host),map(/usr/local/etc/haproxy/maps/https.map)]%[pathq]" if { var(txn.host),map(/usr/local/etc/haproxy/maps/https.map) -m found }
    http-request return status 404 content-type text/plain string "No site is served at this address." unless { var(txn.host),map(/usr/local/etc/haproxy/maps/hosts.map) -m found }
    http-request set-header X-Forwarded-Proto http
    use_backend %[var(txn.host),map(/usr/local/etc/haproxy/maps/hosts.map)]

frontend web-https
    bind :8443 ssl crt-list /usr/local/etc/haproxy/certs.list alpn h2,http/1.1
    http-request set-var(txn.host) req.hdr(host),lower,word(1,:)
    http-request return status 404 content-type text/plain string "No site is served at this address." unless { var(txn.host),map(/usr/local/etc/haproxy/maps/hosts.map) -m found } { var(txn.host),map(/usr/local/etc/haproxy/maps/https.map) -m found }
    http-request set-header X-Forwarded-Proto https
    http-response set-header Strict-Transport-Security "%[var(txn.host),map(/usr/local/etc/haproxy/maps/hsts.map)]" if { var(txn.host),map(/usr/local/etc/haproxy/maps/hsts.map) -m found }
    use_backend %[var(txn.host),map(/usr/local/etc/haproxy/maps/hosts.map)]

frontend port:8080
    bind :8080
    default_backend admin_live_web_80

backend admin_live_web_80
    balance roundrobin

backend blog_live_web_80
    balance roundrobin

backend shop_live_web_8000
    balance roundrobin
`);
  });

  it("keeps hosts and certificates in maps: a host added is no change to the config", () => {
    const one: RouterRoute = { backend: "shop_live_web_80", listen: 0, hosts: ["shop.example"], certificate: "shop_live" };
    const two: RouterRoute = { ...one, hosts: ["shop.example", "www.shop.example"] };
    expect(renderRouterConfig({ routes: [two], adminSocket: socket })).toBe(renderRouterConfig({ routes: [one], adminSocket: socket }));
    expect(renderWebFiles({ routes: [two], adminSocket: socket, certificates: ["shop_live"] })).toEqual({
      "maps/hosts.map": "shop.example shop_live_web_80\nwww.shop.example shop_live_web_80\n",
      "maps/https.map": "shop.example https://shop.example\nwww.shop.example https://www.shop.example\n",
      "maps/hsts.map": "",
      "maps/acme.map": "",
      "certs.list": "/usr/local/etc/haproxy/certs/_default.pem\n/usr/local/etc/haproxy/certs/shop_live.pem\n",
    });
  });

  it("redirects a host to HTTPS only once its certificate is installed, with the HTTPS port when it is not 443", () => {
    const routes: RouterRoute[] = [
      { backend: "a", listen: 0, hosts: ["a.example"], certificate: "a_live", hsts: true },
      { backend: "b", listen: 0, hosts: ["b.example"], certificate: "b_live", hsts: true },
      { backend: "c", listen: 0, hosts: ["c.example"] },
    ];
    const files = renderWebFiles({ routes, adminSocket: socket, web: { http: 8000, https: 8443 }, certificates: ["a_live"] });
    expect(files["maps/https.map"]).toBe("a.example https://a.example:8443\n");
    expect(files["maps/hsts.map"]).toBe("a.example max-age=31536000\n");
    expect(files["maps/hosts.map"]).toBe("a.example a\nb.example b\nc.example c\n");
  });

  it("serves a host over HTTPS only once it is in the HTTPS map: one without a certificate (tls: off) gets the 404 there", () => {
    const state: RouterState = { routes: [{ backend: "c", listen: 0, hosts: ["c.example"] }], adminSocket: socket };
    const config = renderRouterConfig(state);
    expect(config.slice(config.indexOf("frontend web-https"))).toContain(
      '    http-request return status 404 content-type text/plain string "No site is served at this address." unless { var(txn.host),map(/usr/local/etc/haproxy/maps/hosts.map) -m found } { var(txn.host),map(/usr/local/etc/haproxy/maps/https.map) -m found }\n',
    );
    const files = renderWebFiles(state);
    expect(files["maps/hosts.map"]).toBe("c.example c\n");
    expect(files["maps/https.map"]).toBe("");
  });

  it("renders the web frontends without host routes when asked (an ACME challenge first), and none otherwise", () => {
    expect(renderRouterConfig({ routes: [], adminSocket: socket, serveWeb: true })).toContain("frontend web-http\n    bind :80\n");
    expect(renderRouterConfig({ routes: [{ backend: "a", listen: 8080, hosts: [] }], adminSocket: socket })).not.toContain("web-http");
  });

  it("renders no proxy at all for no routes", () => {
    expect(renderRouterConfig({ routes: [], adminSocket: socket })).toBe(HEAD);
  });

  it("renders each route's servers, drained ones disabled, and the socket owner", () => {
    const state: RouterState = {
      routes: [{ backend: "app", listen: 8080, hosts: [], servers: [{ name: "v2-web-1", address: "127.0.0.1:49154", enabled: true }, { name: "v1-web-1", address: "[::1]:49153", enabled: false }] }],
      adminSocket: socket,
      adminSocketUid: 1000,
    };
    const text = renderRouterConfig(state);
    expect(text).toContain("    stats socket /run/slipway/admin.sock mode 600 level admin expose-fd listeners uid 1000\n");
    expect(text.endsWith(`backend app
    balance roundrobin
    server v1-web-1 [::1]:49153 pool-max-conn -1 pool-purge-delay 5s disabled
    server v2-web-1 127.0.0.1:49154 pool-max-conn -1 pool-purge-delay 5s
`)).toBe(true);
  });

  it("tells configs apart by their routes, not by their servers", () => {
    const route: RouterRoute = { backend: "app", listen: 80, hosts: [] };
    const bare = renderRouterConfig({ routes: [route], adminSocket: socket });
    const served = renderRouterConfig({ routes: [{ ...route, servers: [{ name: "v1-web-1", address: "127.0.0.1:20001", enabled: true }] }], adminSocket: socket });
    expect(served).not.toBe(bare);
    expect(routesPart(served)).toBe(routesPart(bare));
    expect(routesPart(bare)).toBe(bare);
    expect(routesPart(renderRouterConfig({ routes: [{ ...route, listen: 81 }], adminSocket: socket }))).not.toBe(routesPart(bare));
  });

  it("renders the same text whatever the order of routes and hosts", () => {
    const a: RouterRoute = { backend: "a", listen: 0, hosts: ["x.example", "y.example"] };
    const b: RouterRoute = { backend: "b", listen: 81, hosts: [] };
    const first = renderRouterConfig({ routes: [a, b], adminSocket: socket });
    expect(renderRouterConfig({ routes: [b, { ...a, hosts: ["y.example", "x.example", "X.example"] }], adminSocket: socket })).toBe(first);
    expect(renderWebFiles({ routes: [b, { ...a, hosts: ["y.example", "x.example", "X.example"] }], adminSocket: socket })).toEqual(renderWebFiles({ routes: [a, b], adminSocket: socket }));
  });

  const rejected: Array<{ name: string; state: RouterState }> = [
    { name: "a backend name with a space", state: { routes: [{ backend: "app web", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "a backend name with a semicolon", state: { routes: [{ backend: "app;del", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "an empty backend name", state: { routes: [{ backend: "", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "the same backend twice", state: { routes: [{ backend: "app", listen: 80, hosts: ["a.example"] }, { backend: "app", listen: 81, hosts: [] }], adminSocket: socket } },
    { name: "two host-less routes on one port", state: { routes: [{ backend: "a", listen: 80, hosts: [] }, { backend: "b", listen: 80, hosts: [] }], adminSocket: socket } },
    { name: "one host to two backends", state: { routes: [{ backend: "a", listen: 0, hosts: ["x.example"] }, { backend: "b", listen: 0, hosts: ["X.example"] }], adminSocket: socket } },
    { name: "a port route on the HTTP port beside a host route", state: { routes: [{ backend: "a", listen: 80, hosts: [] }, { backend: "b", listen: 0, hosts: ["b.example"] }], adminSocket: socket } },
    { name: "a port route on the HTTPS port when web is served", state: { routes: [{ backend: "a", listen: 8443, hosts: [] }], adminSocket: socket, web: { http: 8000, https: 8443 }, serveWeb: true } },
    { name: "a certificate name with a slash", state: { routes: [{ backend: "a", listen: 0, hosts: ["x.example"], certificate: "../x" }], adminSocket: socket } },
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


});
