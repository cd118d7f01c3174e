import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseChallenge, registryManifests } from "./registry-manifests.js";

const basic = `Basic ${Buffer.from("deploy:s3cret").toString("base64")}`;
const login = (server: string) => ({ server, username: "deploy", password: "s3cret" });

/** A registry that answers as `handle` says, and records the requests it got. */
async function fakeRegistry(handle: (request: IncomingMessage, response: ServerResponse, base: string) => void) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method ?? ""} ${request.url ?? ""} ${request.headers.authorization ?? "-"}`);
    handle(request, response, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("parseChallenge", () => {
  it("reads the scheme and its quoted parameters", () => {
    expect(parseChallenge('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:shop/web:pull,delete"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.example.com/token", service: "registry.example.com", scope: "repository:shop/web:pull,delete" },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: "basic", params: { realm: "x" } });
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe("registryManifests", () => {
  it("with Basic credentials: a tag's digest, then its deletion; a 405 is a registry that does not delete", async () => {
    const registry = await fakeRegistry((request, response) => {
      if (request.headers.authorization !== basic) return void response.writeHead(401, { "www-authenticate": 'Basic realm="r"' }).end();
      if (request.url === "/v2/shop/web/manifests/abc" && request.method === "HEAD") return void response.writeHead(200, { "docker-content-digest": "sha256:1" }).end();
      if (request.url === "/v2/shop/web/manifests/sha256:1" && request.method === "DELETE") return void response.writeHead(202).end();
      if (request.url === "/v2/shop/api/manifests/sha256:2" && request.method === "DELETE") return void response.writeHead(405).end();
      response.writeHead(404).end();
    });
    const manifests = registryManifests(`${registry.address}/shop`, login(registry.address));
    expect(await manifests.digestOf("shop/web", "abc")).toBe("sha256:1");
    expect(await manifests.digestOf("shop/web", "gone")).toBeUndefined();
    expect(await manifests.deleteManifest("shop/web", "sha256:1")).toBe("deleted");
    expect(await manifests.deleteManifest("shop/api", "sha256:2")).toBe("not-allowed");
    expect(await manifests.deleteManifest("shop/web", "sha256:9")).toBe("absent");
    // The credentials that worked are sent straight away the next time, per repository.
    expect(registry.seen.filter((line) => line.endsWith(" -"))).toEqual(["HEAD /v2/shop/web/manifests/abc -", "DELETE /v2/shop/api/manifests/sha256:2 -"]);
  });

  it("with a Bearer challenge: a token from its realm, asked with the credentials, for the scope it names", async () => {
    const registry = await fakeRegistry((request, response, base) => {
      const url = new URL(request.url ?? "/", base);
      if (url.pathname === "/token") {
        if (request.headers.authorization !== basic) return void response.writeHead(401).end();
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: `t-${url.searchParams.get("scope") ?? ""}` }));
      }
      if (request.headers.authorization !== "Bearer t-repository:shop/web:pull,delete") {
        return void response.writeHead(401, { "www-authenticate": `Bearer realm="${base}/token",service="reg",scope="repository:shop/web:pull,delete"` }).end();
      }
      response.writeHead(200, { "docker-content-digest": "sha256:7" }).end();
    });
    expect(await registryManifests(registry.address, login(registry.address)).digestOf("shop/web", "abc")).toBe("sha256:7");
    expect(registry.seen).toContain(`GET /token?service=reg&scope=repository%3Ashop%2Fweb%3Apull%2Cdelete ${basic}`);
  });

  it("says what to do when it wants credentials it was not given, or refuses those it was", async () => {
    const registry = await fakeRegistry((_request, response) => void response.writeHead(401, { "www-authenticate": 'Basic realm="r"' }).end());
    await expect(registryManifests(registry.address).digestOf("shop/web", "abc")).rejects.toThrow("it wants credentials: give registry_login in slipway.yml");
    await expect(registryManifests(registry.address, login(registry.address)).digestOf("shop/web", "abc")).rejects.toThrow("it refused the credentials of user deploy");
  });
});
