/**
 * Certificates on disk, where HAProxy reads them when it starts: `etc/certs/<name>.pem`, the
 * chain followed by its private key, mode 0600 in the router's 0700 directory (HAProxy reads them
 * as root in its container). The fallback certificate, self-signed, is made once: a client that
 * names a host the router has no certificate for completes its handshake and gets a 404 page.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { webcrypto } from "node:crypto";
import { join } from "node:path";
import { writePrivateFile } from "../core/private-files.js";
import { checkName } from "./names.js";
import { certificateFile, DEFAULT_CERTIFICATE, WEB_FILES } from "./web-files.js";

const certPath = (etcDir: string, name: string): string => join(etcDir, certificateFile(checkName("certificate", name)));

/** Names of the certificates installed (the fallback aside), sorted. */
export function installedCertificates(etcDir: string): string[] {
  const dir = join(etcDir, WEB_FILES.certDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".pem"))
    .map((file) => file.slice(0, -".pem".length))
    .filter((name) => name !== DEFAULT_CERTIFICATE)
    .sort();
}

export function readCertificateFile(etcDir: string, name: string): string | undefined {
  const path = certPath(etcDir, name);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

export function writeCertificateFile(etcDir: string, name: string, pem: string): void {
  writePrivateFile(certPath(etcDir, name), pem);
}

export function removeCertificateFile(etcDir: string, name: string): void {
  rmSync(certPath(etcDir, name), { force: true });
}

const pemBlock = (label: string, der: ArrayBuffer): string => {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
};

/** The self-signed fallback, made when absent (an ECDSA P-256 key, ten years). */
export async function ensureDefaultCertificate(etcDir: string): Promise<void> {
  if (existsSync(certPath(etcDir, DEFAULT_CERTIFICATE))) return;
  const x509 = await import("@peculiar/x509");
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex"), name: "CN=slipway-router.invalid", notBefore: new Date(now - 60_000), notAfter: new Date(now + 10 * 365 * 86_400_000), keys, signingAlgorithm: algorithm },
    webcrypto,
  );
  const key = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  writeCertificateFile(etcDir, DEFAULT_CERTIFICATE, `${certificate.toString("pem")}\n${pemBlock("PRIVATE KEY", key)}`);
}
