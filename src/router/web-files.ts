/**
 * The files beside haproxy.cfg that serve host names: maps that the runtime API updates in
 * place (`prepare map` / `commit map`), the crt-list of certificates, and the certificates
 * themselves. Their paths, as the config names them inside the router container.
 */
export const CONFIG_DIR = "/usr/local/etc/haproxy";

export const WEB_FILES = {
  /** host → backend */
  hostsMap: "maps/hosts.map",
  /** host → "https://host[:port]", for the hosts whose certificate is installed: HTTP redirects there. */
  httpsMap: "maps/https.map",
  /** host → Strict-Transport-Security value */
  hstsMap: "maps/hsts.map",
  /** ACME HTTP-01 token → key authorization; filled at run time only, while a challenge lasts. */
  acmeMap: "maps/acme.map",
  crtList: "certs.list",
  certDir: "certs",
} as const;

/** The fallback certificate, first in the crt-list: what a name without a certificate of its own is offered. */
export const DEFAULT_CERTIFICATE = "_default";

export function inContainer(file: string): string {
  return `${CONFIG_DIR}/${file}`;
}

export function certificateFile(name: string): string {
  return `${WEB_FILES.certDir}/${name}.pem`;
}
