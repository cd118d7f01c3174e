import { describe, expect, it } from "vitest";
import { checkAddress, checkHost, checkName, joinAddress } from "./names.js";
import { isRouterError } from "./router-error.js";

const rejects = (check: () => unknown): boolean => {
  try {
    check();
    return false;
  } catch (error) {
    return isRouterError(error, "E_ROUTER_CONFIG");
  }
};

describe("router names", () => {
  it.each(["127.0.0.1:49153", "10.0.0.5:80", "[::1]:49153", "[fd00::5]:8080"])("accepts the address %s", (address) => {
    expect(checkAddress(address)).toBe(address);
  });

  it.each([
    { name: "no port", address: "127.0.0.1" },
    { name: "a host name", address: "localhost:8080" },
    { name: "IPv6 without brackets", address: "::1:8080" },
    { name: "IPv4 in brackets", address: "[127.0.0.1]:80" },
    { name: "port 0", address: "127.0.0.1:0" },
    { name: "port 99999", address: "127.0.0.1:99999" },
    { name: "a bad octet", address: "127.0.0.256:80" },
    { name: "a trailing keyword", address: "127.0.0.1:80 backup" },
  ])("rejects an address with $name", ({ address }) => {
    expect(rejects(() => checkAddress(address))).toBe(true);
  });

  it("puts HAProxy's address and port back together", () => {
    expect([joinAddress("127.0.0.1", 49153), joinAddress("::1", 49153)]).toEqual(["127.0.0.1:49153", "[::1]:49153"]);
  });

  it("lower-cases host names and refuses what is not one", () => {
    expect(checkHost("Shop.Example.COM")).toBe("shop.example.com");
    for (const host of ["", "-a.example", "a..example", "a b.example", "a_b.example"]) expect(rejects(() => checkHost(host))).toBe(true);
  });

  it("allows letters, digits, _ - . in names and nothing else", () => {
    expect(checkName("server", "v12-web_1.a")).toBe("v12-web_1.a");
    for (const name of ["", "a b", "a;b", "a/b", "a:b", "é"]) expect(rejects(() => checkName("backend", name))).toBe(true);
  });
});
