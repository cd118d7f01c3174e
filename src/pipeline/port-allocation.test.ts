import { describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import type { PortNeed } from "../plan/ports.js";
import { choosePorts, registryPorts } from "./port-allocation.js";

const range = { first: 20000, last: 20009 };
const need = (key: string, count = 1): PortNeed => ({ key, service: key.split(":")[0] ?? "", target: Number(key.split(":")[1]), count });
const free = () => Promise.resolve(true);

describe("choosePorts", () => {
  it("keeps a release's own ports, and gives new ones none that is taken or bound", async () => {
    const all = await choosePorts({ needs: [need("web:80")], own: {}, taken: new Set(), seed: "s", range, isFree: free });
    const first = all["web:80"] ?? 0;
    expect(first).toBeGreaterThanOrEqual(20000);
    // Taken by another container or route: the next one round the range.
    const next = first === 20009 ? 20000 : first + 1;
    expect(await choosePorts({ needs: [need("web:80")], own: {}, taken: new Set([first]), seed: "s", range, isFree: free })).toEqual({ "web:80": next });
    // Bound by something else on the host: the same.
    expect(await choosePorts({ needs: [need("web:80")], own: {}, taken: new Set(), seed: "s", range, isFree: (p) => Promise.resolve(p !== first) })).toEqual({ "web:80": next });
    // Its own, even where taken by its own route.
    expect(await choosePorts({ needs: [need("web:80")], own: { "web:80": 20005 }, taken: new Set([20005]), seed: "s", range, isFree: () => Promise.resolve(false) })).toEqual({ "web:80": 20005 });
  });

  it("gives replicas consecutive ports, and two needs of one release different ones", async () => {
    const taken = new Set([20001, 20004, 20007]);
    const chosen = await choosePorts({ needs: [need("api:8000", 2), need("web:80"), need("web:443")], own: {}, taken, seed: "s", range, isFree: free });
    const ports = [chosen["api:8000"] ?? 0, (chosen["api:8000"] ?? 0) + 1, chosen["web:80"] ?? 0, chosen["web:443"] ?? 0];
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) expect(taken.has(port) || port < 20000 || port > 20009).toBe(false);
  });

  it("says when the range is full", async () => {
    const taken = new Set(Array.from({ length: 10 }, (_, i) => 20000 + i));
    const failure = await choosePorts({ needs: [need("web:80")], own: {}, taken, seed: "s", range, isFree: free }).catch((error: unknown) => error);
    expect(isSlipwayError(failure, "E_START_FAILED")).toBe(true);
    expect((failure as Error).message).toMatch(/no 1 free port in a row left in 20000-20009 on 127\.0\.0\.1 for web:80/);
  });
});

describe("registryPorts", () => {
  it("lists every listen port and server port of every environment", () => {
    const registry = {
      shop_live_web_80: { project: "shop", environment: "live", listen: 80, hosts: [], servers: [{ name: "v2-web-1", address: "127.0.0.1:20100" }] },
      blog_test_web_80: { project: "blog", environment: "test", listen: 0, hosts: [], servers: [{ name: "v1-web-1", address: "[::1]:20200" }] },
    };
    expect(registryPorts(registry)).toEqual([80, 20100, 20200]);
  });
});
