import { describe, expect, it } from "vitest";
import { registryReference } from "./registry-images.js";

describe("registryReference", () => {
  it.each([
    ["registry.example.com/shop", "web", "0123456789ab", "registry.example.com/shop/web:0123456789ab"],
    ["127.0.0.1:5000", "worker", "0123456789ab-dirty", "127.0.0.1:5000/worker:0123456789ab-dirty"],
  ])("%s, %s, %s → %s", (registry, service, tag, reference) => {
    expect(registryReference(registry, service, tag)).toBe(reference);
  });
});
