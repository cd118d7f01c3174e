/**
 * `slipway certs`: the certificates this host serves for host names, and their renewal. Renewal
 * is idempotent and safe to run often (a systemd timer, cron): only what is due is renewed,
 * each replaced in the running router without a reload.
 */
import { listCertificates, renewCertificates as renew, type CertificateView, type RenewOutcome } from "../pipeline/certificates.js";
import type { CertificateRecord } from "../pipeline/certificate-records.js";
import { certificateDeps } from "../pipeline/steps/certificate.js";
import type { App } from "./app.js";

export type { CertificateView, RenewOutcome } from "../pipeline/certificates.js";

export interface CertsFilter {
  readonly project?: string;
  readonly environment?: string;
}

const matches = (filter: CertsFilter) => (record: CertificateRecord): boolean =>
  (filter.project === undefined || record.project === filter.project) && (filter.environment === undefined || record.environment === filter.environment);

export async function certificates(app: App, filter: CertsFilter = {}): Promise<CertificateView[]> {
  const deps = await app.deps();
  return listCertificates(certificateDeps(deps)).filter(matches(filter));
}

export async function renewCertificates(app: App, request: CertsFilter & { readonly force?: boolean }): Promise<RenewOutcome[]> {
  const deps = await app.deps();
  return await renew(certificateDeps(deps), { ...(request.force ? { force: true } : {}), only: matches(request) });
}
