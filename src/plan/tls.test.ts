import { describe, expect, it } from "vitest";
import type { Route } from "./classify.js";
import { certificateName, hostNames, tlsPlan, withTls } from "./tls.js";

const acme = { email: "ops@shop.example", directory: "https://ca.example/dir" };
const route = (hosts: string[]): Route => ({ service: "web", port: 80, hosts, readiness: { probe: { type: "tcp" }, intervalMs: 1, timeoutMs: 1, passes: 1, deadlineMs: 1 } });

describe("tlsPlan", () => {
  it.each([
    { name: "acme: set, tls unset: auto", config: { acme }, settings: undefined, plan: { mode: "acme", acme } },
    { name: "tls: auto with acme:", config: { acme }, settings: { tls: "auto" as const }, plan: { mode: "acme", acme } },
    { name: "tls: off wins over acme:", config: { acme }, settings: { tls: "off" as const }, plan: { mode: "off" } },
    { name: "a certificate brought", config: {}, settings: { tls: { cert: "c.pem", key: "k.pem" } }, plan: { mode: "files", cert: "c.pem", key: "k.pem" } },
    { name: "neither acme: nor tls: plain HTTP", config: {}, settings: undefined, plan: { mode: "off" } },
  ])("$name", ({ config, settings, plan }) => {
    expect(tlsPlan(config, settings)).toEqual(plan);
  });

  it("refuses tls: auto without an ACME account, saying what to add", () => {
    expect(tlsPlan({}, { tls: "auto" })).toEqual({ problem: expect.stringMatching(/acme: \{ email/) as unknown });
  });
});

describe("withTls", () => {
  it("gives routes with hosts the environment's certificate and HSTS, and leaves port routes alone", () => {
    const routes = withTls([route(["a.example"]), route([])], { mode: "acme", acme }, { certificate: "shop_live", hsts: true });
    expect(routes.map((r) => [r.certificate, r.hsts])).toEqual([["shop_live", true], [undefined, undefined]]);
  });

  it("gives no certificate with TLS off", () => {
    expect(withTls([route(["a.example"])], { mode: "off" }, { certificate: "shop_live", hsts: true })[0]?.certificate).toBeUndefined();
  });

  it("names the certificate after project and environment, and the hosts it covers sorted, once each", () => {
    expect(certificateName("shop", "live")).toBe("shop_live");
    expect(hostNames([route(["www.Shop.example", "shop.example"]), route(["shop.example"])])).toEqual(["shop.example", "www.shop.example"]);
  });
});
