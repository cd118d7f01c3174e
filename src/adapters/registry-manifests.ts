/**
 * A registry's manifests through its HTTP API (the OCI distribution spec): the digest a tag
 * names, and a manifest's deletion. Written here, not taken from a library: the Node clients of
 * this API on npm are unmaintained or wrap the docker CLI, and what retention needs is two
 * requests and the two ways a registry asks for credentials (Basic, or a Bearer token from the
 * realm its challenge names, asked with the same credentials).
 */
import type { RegistryLogin } from "../plan/registry-images.js";
import { registryApiUrl } from "./registry-http.js";

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** deleted; absent (nothing by that digest); not-allowed (the registry does not delete: 405). */
export type DeleteOutcome = "deleted" | "absent" | "not-allowed";

export interface RegistryManifests {
  /** The digest the tag names in the repository; undefined when the registry has no such tag. */
  digestOf(repository: string, tag: string): Promise<string | undefined>;
  deleteManifest(repository: string, digest: string): Promise<DeleteOutcome>;
}

interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** `Bearer realm="…",service="…",scope="…"` → its scheme and parameters. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/([A-Za-z]+)="([^"]*)"/g)) params[(match[1] ?? "").toLowerCase()] = match[2] ?? "";
  return { scheme, params };
}

export function registryManifests(registry: string, login?: RegistryLogin, timeoutMs = 15_000): RegistryManifests {
  const api = registryApiUrl(registry);
  const basic = login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}` : undefined;
  // The authorization that last worked for a repository: a token is scoped to one.
  const authorized = new Map<string, string>();

  async function token(challenge: Challenge): Promise<string> {
    const { realm, service, scope } = challenge.params;
    if (!realm) throw new Error("the registry asked for a token without saying where to get one");
    const url = new URL(realm);
    if (service) url.searchParams.set("service", service);
    if (scope) url.searchParams.set("scope", scope);
    const response = await fetch(url, { headers: basic ? { authorization: basic } : {}, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`its token service answered ${response.status}${login ? ` for user ${login.username}` : ": give registry_login"}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const value = body.token ?? body.access_token;
    if (!value) throw new Error("its token service gave no token");
    return `Bearer ${value}`;
  }

  async function request(method: "HEAD" | "DELETE", repository: string, reference: string): Promise<Response> {
    const url = `${api}${repository}/manifests/${reference}`;
    const send = (authorization: string | undefined): Promise<Response> =>
      fetch(url, { method, headers: { accept: MANIFEST_TYPES, ...(authorization ? { authorization } : {}) }, redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
    let response = await send(authorized.get(repository));
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const challenge = parseChallenge(response.headers.get("www-authenticate"));
    let authorization: string;
    if (challenge?.scheme === "bearer") authorization = await token(challenge);
    else if (basic) authorization = basic;
    else throw new Error("it wants credentials: give registry_login in slipway.yml");
    response = await send(authorization);
    if (response.status === 401) {
      await response.body?.cancel();
      throw new Error(`it refused the credentials${login ? ` of user ${login.username}` : ""}`);
    }
    authorized.set(repository, authorization);
    return response;
  }

  return {
    async digestOf(repository, tag) {
      const response = await request("HEAD", repository, tag);
      await response.body?.cancel();
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`asking for ${repository}:${tag} got ${response.status}`);
      return response.headers.get("docker-content-digest") ?? undefined;
    },

    async deleteManifest(repository, digest) {
      const response = await request("DELETE", repository, digest);
      await response.body?.cancel();
      if (response.status === 202 || response.status === 200) return "deleted";
      if (response.status === 404) return "absent";
      if (response.status === 405) return "not-allowed";
      throw new Error(`deleting ${repository}@${digest} got ${response.status}`);
    },
  };
}
