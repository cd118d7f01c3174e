import { describe, expect, it } from "vitest";
import { registryLogin, registryReference, registryServer, repositoryOf, type LoginSource } from "./registry-images.js";

describe("registryReference", () => {
  it.each([
    ["registry.example.com/shop", "web", "0123456789ab", "registry.example.com/shop/web:0123456789ab"],
    ["127.0.0.1:5000", "worker", "0123456789ab-dirty", "127.0.0.1:5000/worker:0123456789ab-dirty"],
  ])("%s, %s, %s → %s", (registry, service, tag, reference) => {
    expect(registryReference(registry, service, tag)).toBe(reference);
  });
});

describe("repositoryOf", () => {
  it("takes the registry's host and port off a pushed reference, and splits off its tag", () => {
    expect(repositoryOf("127.0.0.1:5000/shop/web:0123456789ab", "127.0.0.1:5000/shop")).toEqual({ repository: "shop/web", tag: "0123456789ab" });
  });
});

describe("registryLogin", () => {
  const swarm = { driver: "swarm" as const, registry: "registry.example.com:5443/shop", registry_login: { username: "deploy", password: "REGISTRY_PASSWORD" } };
  const project = (settings: LoginSource["environment"]["settings"], values: Record<string, string>): LoginSource => ({ environment: { name: "live", settings }, variables: { values } });

  it("keys the credentials by the registry's host and port, the password read from the variable it names", () => {
    expect(registryServer("127.0.0.1:5000")).toBe("127.0.0.1:5000");
    expect(registryLogin(project(swarm, { REGISTRY_PASSWORD: "s3cret", OTHER: "x" }))).toEqual({ server: "registry.example.com:5443", username: "deploy", password: "s3cret" });
  });

  it("is undefined when the environment gives no registry_login", () => {
    expect(registryLogin(project({ driver: "swarm", registry: "127.0.0.1:5000" }, { REGISTRY_PASSWORD: "s3cret" }))).toBeUndefined();
    expect(registryLogin(project(undefined, {}))).toBeUndefined();
  });

  it.each([
    ["unset", {}],
    ["empty", { REGISTRY_PASSWORD: "" }],
  ])("says how to set the password variable when it is %s", (_, variables) => {
    expect(() => registryLogin(project(swarm, variables))).toThrow(
      "registry_login of live takes its password from the variable REGISTRY_PASSWORD, which is not set: slipway env set REGISTRY_PASSWORD=- --env live reads it from standard input",
    );
  });
});
