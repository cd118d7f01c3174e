/**
 * Image references as the engine names them, so that two spellings of one image compare equal:
 * `busybox`, `busybox:latest`, `library/busybox` and `docker.io/library/busybox:latest` are one
 * image. Only the normalization the engine itself applies (its default registry, its `library/`
 * namespace and its `latest` tag); nothing is resolved or looked up.
 */

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DOMAIN = "index.docker.io";

/** A first path component is a registry when it has a dot or a port, or is `localhost`. */
function isDomain(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/** The familiar form with an explicit tag: `docker.io/library/app` → `app:latest`. */
export function normalizeImage(reference: string): string {
  const at = reference.indexOf("@");
  const digest = at >= 0 ? reference.slice(at) : "";
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const hasTag = colon > slash;
  const name = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon) : digest ? "" : ":latest";

  const [first = "", ...rest] = name.split("/");
  const domain = rest.length > 0 && isDomain(first) ? first : DEFAULT_DOMAIN;
  const path = domain === first && rest.length > 0 ? rest.join("/") : name;
  const familiar = domain === DEFAULT_DOMAIN || domain === LEGACY_DOMAIN ? familiarPath(path) : `${domain}/${path}`;
  return `${familiar}${tag}${digest}`;
}

function familiarPath(path: string): string {
  const parts = path.split("/");
  return parts.length === 2 && parts[0] === "library" ? (parts[1] ?? path) : path;
}

export function sameImage(a: string, b: string): boolean {
  return normalizeImage(a) === normalizeImage(b);
}
