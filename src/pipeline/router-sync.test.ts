import { describe, expect, it } from "vitest";
import { RouterError } from "../router/router-error.js";
import type { Router, RouterRoute } from "../router/router.js";
import type { Registry } from "./route-registry.js";
import { saveServers } from "./router-sync.js";

const registry: Registry = { shop_live_web_80: { project: "shop", environment: "live", listen: 80, hosts: [], servers: [{ name: "v2-web-1", address: "127.0.0.1:20100" }] } };
const routes: RouterRoute[] = [{ backend: "shop_live_web_80", listen: 80, hosts: [], servers: [{ name: "v2-web-1", address: "127.0.0.1:20100", enabled: true }] }];

function fakeRouter(persist: () => void): Router & { calls: string[] } {
  const calls: string[] = [];
  const unused = (): never => {
    throw new Error("not used");
  };
  return {
    calls,
    persist(given) {
      calls.push(`persist ${JSON.stringify(given)}`);
      persist();
    },
    ensure(given) {
      calls.push(`ensure ${JSON.stringify(given)}`);
      return Promise.resolve({ created: false, reloaded: true });
    },
    servers: unused,
    addServer: unused,
    drainServer: unused,
    removeServer: unused,
    info: unused,
    remove: unused,
    web: { http: 80, https: 443 },
    installCertificate: unused,
    removeCertificate: unused,
    certificate: () => undefined,
    setChallenge: unused,
    clearChallenge: unused,
  };
}

describe("saveServers", () => {
  it("writes the registry's servers into the router's file, without a reload", async () => {
    const router = fakeRouter(() => undefined);
    await saveServers(router, registry);
    expect(router.calls).toEqual([`persist ${JSON.stringify(routes)}`]);
  });

  it("has the router run the registry's routes first when its file holds others", async () => {
    const router = fakeRouter(() => {
      throw new RouterError("E_ROUTER_CONFIG", "the router does not run these routes yet");
    });
    await saveServers(router, registry);
    expect(router.calls).toEqual([`persist ${JSON.stringify(routes)}`, `ensure ${JSON.stringify(routes)}`]);
  });

  it("lets any other failure through", async () => {
    const router = fakeRouter(() => {
      throw new Error("disk full");
    });
    await expect(saveServers(router, registry)).rejects.toThrow("disk full");
    expect(router.calls).toHaveLength(1);
  });
});
