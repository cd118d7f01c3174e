import { describe, expect, it } from "vitest";
import { portConflicts, withSwarmRoutes, type SwarmRouteEntry } from "./route-table.js";

const web = { http: 80, https: 443 };
const shop = withSwarmRoutes([], "shop", "live", [{ backend: "shop_live_web_8000", listen: 0, port: 8000, hosts: ["shop.test"] }]);

describe("the swarm router's route table", () => {
  it("takes host routes of several environments, and port routes beside them", () => {
    const table = withSwarmRoutes(withSwarmRoutes(shop, "blog", "live", [{ backend: "blog_live_web_80", listen: 0, port: 80, hosts: ["blog.test"] }]), "api", "live", [{ backend: "api_live_web_8000", listen: 8080, port: 8000 }]);
    expect(portConflicts(table, web)).toEqual([]);
  });

  it.each<[string, SwarmRouteEntry[], boolean, string]>([
    ["a host of another environment", withSwarmRoutes(shop, "shop", "test", [{ backend: "shop_test_web_8000", listen: 0, port: 8000, hosts: ["shop.test"] }]), false, "host shop.test is already routed to shop/live on the swarm router"],
    ["a port route on the web port", withSwarmRoutes(shop, "api", "live", [{ backend: "api_live_web_8000", listen: 443, port: 8000 }]), false, "port 443 is the port the swarm router serves host names on: give api/live another listen port"],
    ["the single-host router's host names on the same ports", shop, true, "the single-host router serves host names on ports 80 and 443 of this host, which the swarm router would take for shop/live: serve one driver's host names per host, or route the swarm environment by port (listen:)"],
  ])("refuses %s", (_name, table, singleHostWeb, problem) => {
    expect(portConflicts(table, web, singleHostWeb)).toEqual([problem]);
  });

  it("lets a port route have port 443 while no route has hosts", () => {
    expect(portConflicts(withSwarmRoutes([], "api", "live", [{ backend: "api_live_web_8000", listen: 443, port: 8000 }]), web, true)).toEqual([]);
  });
});
