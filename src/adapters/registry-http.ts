/**
 * Asks a registry's API root (`GET /v2/`) whether it answers. Plain HTTP for loopback
 * registries (every Docker engine trusts 127.0.0.0/8 without TLS), HTTPS for the rest.
 */
import { registryServer } from "../plan/registry-images.js";

export interface RegistryAnswer {
  readonly url: string;
  /** 200, or 401 when it wants credentials: both mean it answers. */
  readonly status: number;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/;

export function registryApiUrl(registry: string): string {
  const host = registryServer(registry);
  return `${LOOPBACK.test(host) ? "http" : "https"}://${host}/v2/`;
}

/** Resolves with the status it answered; rejects when nothing answers within `timeoutMs`. */
export async function askRegistry(registry: string, timeoutMs = 5_000): Promise<RegistryAnswer> {
  const url = registryApiUrl(registry);
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  await response.body?.cancel();
  return { url, status: response.status };
}
