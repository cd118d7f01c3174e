import { describe, expect, it } from "vitest";
import { normalizeImage, sameImage } from "./image-ref.js";

describe("normalizeImage", () => {
  it.each([
    { name: "a bare name gets :latest", reference: "busybox", normalized: "busybox:latest" },
    { name: "a tag is kept", reference: "busybox:1.36", normalized: "busybox:1.36" },
    { name: "docker.io/library/ is the default", reference: "docker.io/library/busybox:1.36", normalized: "busybox:1.36" },
    { name: "library/ alone", reference: "library/busybox", normalized: "busybox:latest" },
    { name: "the legacy index name", reference: "index.docker.io/library/postgres:16", normalized: "postgres:16" },
    { name: "a Docker Hub user's image", reference: "docker.io/acme/api:abc", normalized: "acme/api:abc" },
    { name: "a user named library/x/y keeps its path", reference: "library/a/b", normalized: "library/a/b:latest" },
    { name: "a registry with a port is not a tag", reference: "localhost:5000/app", normalized: "localhost:5000/app:latest" },
    { name: "a registry with a port and a tag", reference: "registry.example.com:5000/team/app:0123456789ab", normalized: "registry.example.com:5000/team/app:0123456789ab" },
    { name: "localhost is a registry", reference: "localhost/app:v1", normalized: "localhost/app:v1" },
    { name: "a first component without a dot is a path", reference: "acme/app:v1", normalized: "acme/app:v1" },
    { name: "a digest takes no default tag", reference: "postgres@sha256:abcd", normalized: "postgres@sha256:abcd" },
    { name: "a tag and a digest", reference: "docker.io/library/postgres:16@sha256:abcd", normalized: "postgres:16@sha256:abcd" },
  ])("$name", ({ reference, normalized }) => {
    expect(normalizeImage(reference)).toBe(normalized);
  });
});

describe("sameImage", () => {
  it.each([
    { a: "app:0123456789ab", b: "docker.io/library/app:0123456789ab", same: true },
    { a: "app", b: "app:latest", same: true },
    { a: "app:v1", b: "app:v2", same: false },
    { a: "acme/app:v1", b: "app:v1", same: false },
    { a: "ghcr.io/acme/app:v1", b: "acme/app:v1", same: false },
  ])("$a and $b: $same", ({ a, b, same }) => {
    expect(sameImage(a, b)).toBe(same);
  });
});
