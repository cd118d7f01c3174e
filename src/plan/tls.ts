/**
 * How an environment's host names are served over HTTPS, from slipway.yml: certificates from
 * an ACME CA (`tls: auto`, the default once `acme:` is set), a certificate the user brings, or
 * plain HTTP (`tls: off`, or no ACME account). Pure: the pipeline's certificates step acts on it.
 */
import type { AcmeConfig, EnvironmentConfig, SlipwayConfig } from "../config/slipway-schema.js";
import type { Route } from "./classify.js";

export type TlsPlan =
  | { readonly mode: "off" }
  | { readonly mode: "acme"; readonly acme: AcmeConfig }
  | { readonly mode: "files"; readonly cert: string; readonly key: string };

export function tlsPlan(config: Pick<SlipwayConfig, "acme">, settings: Pick<EnvironmentConfig, "tls"> | undefined): TlsPlan | { readonly problem: string } {
  const tls = settings?.tls;
  if (tls === "off") return { mode: "off" };
  if (typeof tls === "object") return { mode: "files", cert: tls.cert, key: tls.key };
  if (config.acme) return { mode: "acme", acme: config.acme };
  if (tls === "auto") return { problem: "tls: auto needs an ACME account: add acme: { email: you@example.com } at the top of slipway.yml" };
  return { mode: "off" };
}

/** The one certificate of an environment: every host name of its routes. */
export function certificateName(project: string, environment: string): string {
  return `${project}_${environment}`;
}

/** The environment's host names, sorted and without duplicates: the names its certificate covers. */
export function hostNames(routes: readonly Pick<Route, "hosts">[]): string[] {
  return [...new Set(routes.flatMap((r) => r.hosts.map((h) => h.toLowerCase())))].sort();
}

/** Routes with hosts get the environment's certificate (unless TLS is off) and its HSTS setting. */
export function withTls(routes: readonly Route[], tls: TlsPlan, options: { certificate: string; hsts: boolean }): Route[] {
  return routes.map((route) => {
    if (route.hosts.length === 0 || tls.mode === "off") return route;
    return { ...route, certificate: options.certificate, ...(options.hsts ? { hsts: true } : {}) };
  });
}
