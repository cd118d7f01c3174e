/**
 * A registry's credentials, as the engine's API and the docker CLI take them. The API takes
 * them with each call that pulls or pushes (X-Registry-Auth); `docker stack deploy
 * --with-registry-auth` reads them from a CLI config, so one is written for that call alone, in
 * a private temporary directory removed after it: never the user's ~/.docker, never an argument.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRIVATE_FILE } from "../core/private-files.js";
import type { RegistryLogin } from "../plan/registry-images.js";

export interface EngineAuth {
  readonly username: string;
  readonly password: string;
  readonly serveraddress: string;
}

/** The API's form; `{}` (no credentials) without a login. */
export function engineAuth(login: RegistryLogin | undefined): EngineAuth | Record<string, never> {
  return login ? { username: login.username, password: login.password, serveraddress: login.server } : {};
}

/** Runs `use` with a DOCKER_CONFIG directory holding only these credentials (none without a login). */
export async function withCliCredentials<T>(login: RegistryLogin | undefined, use: (dockerConfig: string | undefined) => Promise<T>): Promise<T> {
  if (!login) return use(undefined);
  const dir = mkdtempSync(join(tmpdir(), "slipway-registry-")); // 0700
  try {
    const auth = Buffer.from(`${login.username}:${login.password}`).toString("base64");
    writeFileSync(join(dir, "config.json"), `${JSON.stringify({ auths: { [login.server]: { auth } } })}\n`, { mode: PRIVATE_FILE });
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
