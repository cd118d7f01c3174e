import { describe, expect, it } from "vitest";
import { buildKey } from "./build.js";
import { rebaseBuildFile } from "./source.js";

describe("rebaseBuildFile", () => {
  it("moves contexts, additional contexts and Dockerfile paths inside the repository into the exported tree, and only those", () => {
    const file = {
      name: "shop-build",
      services: {
        web: { image: "shop/web:abc", build: { context: "/home/me/shop/app/web", dockerfile: "Dockerfile" } },
        root: { image: "shop/root:abc", build: { context: "/home/me/shop" } },
        remote: { image: "shop/remote:abc", build: { context: "https://example.invalid/repo.git" } },
        sibling: { image: "shop/x:abc", build: { context: "/home/me/shop-other" } },
        extra: { image: "shop/e:abc", build: { context: "/home/me/shop/e", dockerfile: "/home/me/shop/docker/e.Dockerfile", additional_contexts: { assets: "/home/me/shop/assets", base: "docker-image://busybox" } } },
      },
    };
    expect(rebaseBuildFile(file, "/home/me/shop", "/var/slipway/builds/shop/abc")).toEqual({
      name: "shop-build",
      services: {
        web: { image: "shop/web:abc", build: { context: "/var/slipway/builds/shop/abc/app/web", dockerfile: "Dockerfile" } },
        root: { image: "shop/root:abc", build: { context: "/var/slipway/builds/shop/abc" } },
        remote: { image: "shop/remote:abc", build: { context: "https://example.invalid/repo.git" } },
        sibling: { image: "shop/x:abc", build: { context: "/home/me/shop-other" } },
        extra: {
          image: "shop/e:abc",
          build: { context: "/var/slipway/builds/shop/abc/e", dockerfile: "/var/slipway/builds/shop/abc/docker/e.Dockerfile", additional_contexts: { assets: "/var/slipway/builds/shop/abc/assets", base: "docker-image://busybox" } },
        },
      },
    });
  });
});

describe("buildKey", () => {
  const file = (tree: string, arg = "1") => ({ services: { web: { build: { context: `${tree}/web`, args: { A: arg } } } } });

  it("is the same for the same commit and settings, wherever the tree was exported", () => {
    expect(buildKey("c1", file("/tmp/a"), "/tmp/a")).toBe(buildKey("c1", file("/tmp/b"), "/tmp/b"));
  });

  it.each([
    { name: "another commit", a: buildKey("c1", file("/t"), "/t"), b: buildKey("c2", file("/t"), "/t") },
    { name: "another build arg", a: buildKey("c1", file("/t"), "/t"), b: buildKey("c1", file("/t", "2"), "/t") },
  ])("differs for $name", ({ a, b }) => {
    expect(a).not.toBe(b);
  });
});
