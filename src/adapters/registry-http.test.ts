import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { askRegistry, registryApiUrl } from "./registry-http.js";

describe("registryApiUrl", () => {
  it.each([
    ["127.0.0.1:5000", "http://127.0.0.1:5000/v2/"],
    ["localhost:5000/shop", "http://localhost:5000/v2/"],
    ["registry.example.com/shop", "https://registry.example.com/v2/"],
    ["registry.example.com:8443", "https://registry.example.com:8443/v2/"],
  ])("%s → %s", (registry, url) => {
    expect(registryApiUrl(registry)).toBe(url);
  });
});

describe("askRegistry", () => {
  it("says what a registry answered to GET /v2/", async () => {
    const server = createServer((request, response) => {
      response.writeHead(request.url === "/v2/" ? 401 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await askRegistry(`127.0.0.1:${port}/shop`)).toEqual({ url: `http://127.0.0.1:${port}/v2/`, status: 401 });
    } finally {
      server.close();
    }
  });
});
