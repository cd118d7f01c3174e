/**
 * A router's certificates and ACME challenges, the same for the single-host router and the
 * Swarm router: each certificate loaded into the running HAProxy by its runtime API (never a
 * reload) and written where HAProxy starts from (certificate-files.ts), the crt-list kept in
 * step; challenges answered from the ACME map at run time only.
 */
import { join } from "node:path";
import { writePrivateFile } from "../core/private-files.js";
import { installedCertificates, readCertificateFile, removeCertificateFile, writeCertificateFile } from "./certificate-files.js";
import { renderCrtList } from "./render-config.js";
import { WEB_FILES } from "./web-files.js";
import { clearChallenge, loadCertificate, setChallenge, unloadCertificate, type Command } from "./web-runtime.js";

/** What the certificate pipeline needs of a router. */
export interface CertificateRouter {
  /**
   * Certificate `name` (PEM: chain, then key) served from now on: loaded into the running HAProxy
   * through its runtime API (a new one added to the crt-list, a known one replaced), never a
   * reload, and written where HAProxy starts from. The PEM must be checked before.
   */
  installCertificate(name: string, pem: string): Promise<"added" | "replaced" | "written">;
  /** Certificate `name` no longer served (out of the running HAProxy and off disk). */
  removeCertificate(name: string): Promise<void>;
  /** The PEM installed as `name`, if any. */
  certificate(name: string): string | undefined;
  /** Answers an ACME HTTP-01 challenge on the HTTP port (the web frontends must run). */
  setChallenge(token: string, keyAuthorization: string): Promise<void>;
  clearChallenge(token: string): Promise<void>;
}

export interface CertificateStoreParts {
  /** The router's config directory on this host. */
  readonly etcDir: string;
  readonly command: Command;
  /** Whether a running HAProxy serves the web frontends (and so has a crt-list to change). */
  readonly servesWeb: () => Promise<boolean>;
}

export function certificateStore(parts: CertificateStoreParts): CertificateRouter {
  const { etcDir, command } = parts;
  const writeCrtList = (): void => writePrivateFile(join(etcDir, WEB_FILES.crtList), renderCrtList(installedCertificates(etcDir)));
  return {
    async installCertificate(name, pem) {
      // Into the running HAProxy first: a PEM it refuses never reaches the file it starts from.
      const outcome = (await parts.servesWeb()) ? await loadCertificate(command, name, pem) : "written";
      writeCertificateFile(etcDir, name, pem);
      writeCrtList();
      return outcome;
    },
    async removeCertificate(name) {
      if (readCertificateFile(etcDir, name) === undefined) return;
      if (await parts.servesWeb()) await unloadCertificate(command, name);
      removeCertificateFile(etcDir, name);
      writeCrtList();
    },
    certificate: (name) => readCertificateFile(etcDir, name),
    setChallenge: (token, keyAuthorization) => setChallenge(command, token, keyAuthorization),
    clearChallenge: (token) => clearChallenge(command, token),
  };
}
