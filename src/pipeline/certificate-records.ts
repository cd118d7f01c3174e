/**
 * What Slipway knows of each certificate it serves, beside the PEM the router holds:
 * `$SLIPWAY_HOME/certs/<name>.json` (whose names, from where, the last renewal's outcome), and
 * the ACME account keys, sealed under the master key. Directory 0700, files 0600.
 */
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writePrivateFile } from "../core/private-files.js";

export interface CertificateRecord {
  readonly name: string;
  readonly project: string;
  readonly environment: string;
  readonly names: readonly string[];
  /** acme: issued and renewed by Slipway; files: brought by the user (never renewed here). */
  readonly source: "acme" | "files";
  readonly directory?: string;
  readonly email?: string;
  readonly lastRenewal?: { readonly at: string; readonly ok: boolean; readonly message: string };
  /** Which router serves it: the swarm router for a swarm environment; absent, the single-host router. */
  readonly router?: "swarm";
}

export interface CertificateFacts {
  readonly names: readonly string[];
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serial: string;
}

export const certsDir = (home: string): string => join(home, "certs");

export function readRecords(home: string): CertificateRecord[] {
  const dir = certsDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as CertificateRecord);
}

export function readRecord(home: string, name: string): CertificateRecord | undefined {
  const file = join(certsDir(home), `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as CertificateRecord) : undefined;
}

export function writeRecord(home: string, record: CertificateRecord): void {
  writePrivateFile(join(certsDir(home), `${record.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeRecord(home: string, name: string): void {
  rmSync(join(certsDir(home), `${name}.json`), { force: true });
}

/** One sealed account key per CA directory URL. */
export function accountKeyFile(home: string, directory: string): string {
  return join(certsDir(home), `account-${createHash("sha256").update(directory).digest("hex").slice(0, 16)}.key`);
}

/** The first certificate of a PEM chain, read. */
export function certificateFacts(pem: string): CertificateFacts {
  const certificate = new X509Certificate(pem);
  const names = (certificate.subjectAltName ?? "")
    .split(", ")
    .filter((entry) => entry.startsWith("DNS:"))
    .map((entry) => entry.slice(4).toLowerCase());
  const issuer = /(?:^|\n)CN=([^\n]+)/.exec(certificate.issuer)?.[1] ?? certificate.issuer.replace(/\n/g, ", ");
  return { names: [...new Set(names)].sort(), issuer, notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo), serial: certificate.serialNumber };
}

/** Due once a third of its lifetime or less remains. */
export function renewalDue(facts: Pick<CertificateFacts, "notBefore" | "notAfter">, now: number): boolean {
  const lifetime = facts.notAfter.getTime() - facts.notBefore.getTime();
  return facts.notAfter.getTime() - now <= lifetime / 3;
}

/** Whether a certificate names every host (a wildcard covers one label). */
export function covers(facts: Pick<CertificateFacts, "names">, hosts: readonly string[]): boolean {
  return hosts.every((host) => facts.names.some((name) => name === host || (name.startsWith("*.") && host.slice(host.indexOf(".") + 1) === name.slice(2) && host.indexOf(".") > 0)));
}
