import { describe, expect, it } from "vitest";
import { rebaseBindMounts, type ComposeModel } from "./compose-model.js";

describe("rebaseBindMounts", () => {
  const tree = "/home/u/.slipway/builds/shop/abc123";
  const model: ComposeModel = {
    services: {
      web: {
        image: "shop/web:abc123",
        volumes: [
          { type: "bind", source: `${tree}/media`, target: "/app/media" },
          { type: "bind", source: tree, target: "/src", read_only: true },
          { type: "bind", source: `${tree}-other/x`, target: "/x" },
          { type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" },
          { type: "volume", source: "data", target: "/data" },
        ],
      },
      worker: { image: "shop/web:abc123" },
    },
    volumes: { data: {} },
  };

  it("moves bind mounts under the tree to the project, and nothing else", () => {
    const rebased = rebaseBindMounts(model, `${tree}/`, "/srv/shop");
    expect(rebased.services.web?.volumes).toEqual([
      { type: "bind", source: "/srv/shop/media", target: "/app/media" },
      { type: "bind", source: "/srv/shop", target: "/src", read_only: true },
      { type: "bind", source: `${tree}-other/x`, target: "/x" },
      { type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" },
      { type: "volume", source: "data", target: "/data" },
    ]);
    expect(rebased.services.worker).toEqual(model.services.worker);
    expect(rebased.volumes).toEqual(model.volumes);
  });
});
