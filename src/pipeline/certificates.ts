/**
 * Certificates for an environment's host names: issued by its ACME CA (HTTP-01, answered by
 * the router while the live release keeps serving) or read from the user's files, checked,
 * then loaded into the running router without a reload. Renewed once a third of their
 * lifetime remains: by every deploy, and by `slipway certs renew`.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { Acme } from "../adapters/acme.js";
import type { Clock } from "../core/clock.js";
import { SlipwayError } from "../core/errors.js";
import { writePrivateFile } from "../core/private-files.js";
import type { TlsPlan } from "../plan/tls.js";
import type { CertificateRouter } from "../router/router.js";
import type { Sealer } from "../secrets/cipher.js";
import { accountKeyFile, certificateFacts, covers, readRecord, readRecords, renewalDue, writeRecord, type CertificateFacts, type CertificateRecord } from "./certificate-records.js";
import { withRouterLock } from "./router-lock.js";

export interface CertificateDeps {
  /** The single-host router. */
  readonly router: CertificateRouter;
  /** The swarm router, for the certificates of swarm environments (see CertificateRecord.router). */
  readonly swarmRouter?: CertificateRouter;
  readonly home: string;
  /** The router's directory, where its lock is. */
  readonly routerDir: string;
  readonly clock: Clock;
  readonly sealer: () => Sealer;
  readonly acme: Acme;
}

export interface CertificateTarget {
  readonly project: string;
  readonly environment: string;
  /** The certificate's name in the router. */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly tls: TlsPlan;
  /** Where a user's certificate files are read from (their paths are relative to it). */
  readonly projectDir: string;
  /** The swarm router serves it (a swarm environment). */
  readonly router?: "swarm";
}

/** The router that serves a certificate. */
function routerOf(deps: Pick<CertificateDeps, "router" | "swarmRouter">, of: { readonly router?: "swarm"; readonly name: string }): CertificateRouter {
  if (of.router !== "swarm") return deps.router;
  if (deps.swarmRouter === undefined) throw new SlipwayError("E_INTERNAL", `certificate ${of.name} is the swarm router's, and no swarm router was given`);
  return deps.swarmRouter;
}

export interface RenewOutcome {
  readonly name: string;
  readonly action: "renewed" | "not-due" | "failed";
  readonly message: string;
}

/** Checks that a chain and a key belong together (and cover the hosts): bad input, exit 2, otherwise. */
export function checkPair(chain: string, key: string, where: string, hosts: readonly string[]): CertificateFacts {
  let facts: CertificateFacts;
  let matches: boolean;
  try {
    facts = certificateFacts(chain);
    matches = new X509Certificate(chain).checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new SlipwayError("E_CONFIG_INVALID", `${where}: not a PEM certificate and private key (${(error as Error).message})`, { cause: error });
  }
  if (!matches) throw new SlipwayError("E_CONFIG_INVALID", `${where}: the private key does not belong to the certificate: give the key the certificate was issued for`);
  if (!covers(facts, hosts)) throw new SlipwayError("E_CONFIG_INVALID", `${where}: the certificate names ${facts.names.join(", ") || "no host"}, not every host of the environment (${hosts.join(", ")})`);
  return facts;
}

const pemOf = (chain: string, key: string): string => `${chain.trim()}\n${key.trim()}\n`;

function userFile(projectDir: string, file: string, what: string): string {
  const path = isAbsolute(file) ? file : join(projectDir, file);
  if (!existsSync(path)) throw new SlipwayError("E_FILE_MISSING", `tls.${what}: ${path} does not exist`);
  return readFileSync(path, "utf8");
}

/**
 * The environment's certificate served, covering every host and not due: returns what was done,
 * or undefined when nothing needed doing. A CA that refuses fails here, and nothing changed.
 */
export async function ensureCertificate(deps: CertificateDeps, target: CertificateTarget): Promise<string | undefined> {
  const { tls, hosts, name } = target;
  if (tls.mode === "off" || hosts.length === 0) return undefined;
  const router = routerOf(deps, target);
  const on = target.router === "swarm" ? { router: "swarm" as const } : {};
  if (tls.mode === "files") {
    const chain = userFile(target.projectDir, tls.cert, "cert");
    const key = userFile(target.projectDir, tls.key, "key");
    const facts = checkPair(chain, key, `tls: { cert: ${tls.cert}, key: ${tls.key} }`, hosts);
    const pem = pemOf(chain, key);
    if (router.certificate(name) === pem) return undefined;
    await withRouterLock(deps.routerDir, () => router.installCertificate(name, pem));
    writeRecord(deps.home, { name, project: target.project, environment: target.environment, ...on, names: facts.names, source: "files", lastRenewal: { at: new Date(deps.clock.now()).toISOString(), ok: true, message: `installed from ${tls.cert}` } });
    return `certificate from ${tls.cert} for ${facts.names.join(", ")} (expires ${facts.notAfter.toISOString().slice(0, 10)})`;
  }
  const record: CertificateRecord = { name, project: target.project, environment: target.environment, ...on, names: [...hosts], source: "acme", directory: tls.acme.directory, email: tls.acme.email };
  const installed = router.certificate(name);
  const previous = readRecord(deps.home, name);
  if (installed !== undefined && previous?.source === "acme" && previous.directory === tls.acme.directory) {
    const facts = certificateFacts(installed);
    if (covers(facts, hosts) && !renewalDue(facts, deps.clock.now())) {
      if (previous.names.join() !== hosts.join()) writeRecord(deps.home, { ...previous, names: [...hosts] });
      return undefined;
    }
  }
  // A refusal must leave the record describing what is live, or it would stay due forever.
  const live = installed !== undefined && previous !== undefined ? previous : { ...record, names: [] };
  const facts = await issue(deps, { ...record, ...(previous?.lastRenewal ? { lastRenewal: previous.lastRenewal } : {}) }, live);
  return `certificate for ${facts.names.join(", ")} issued by ${facts.issuer} (expires ${facts.notAfter.toISOString().slice(0, 10)})`;
}

function accountKey(deps: CertificateDeps, directory: string): string | undefined {
  const file = accountKeyFile(deps.home, directory);
  return existsSync(file) ? deps.sealer().open(readFileSync(file, "utf8").trim(), "the ACME account key") : undefined;
}

/** On a refusal, `live` (the record of what the router serves) is kept, with the refusal as its last renewal. */
async function issue(deps: CertificateDeps, record: CertificateRecord, live: CertificateRecord = record): Promise<CertificateFacts> {
  const directory = record.directory ?? "";
  const at = (): string => new Date(deps.clock.now()).toISOString();
  let key = accountKey(deps, directory);
  if (key === undefined) {
    key = await deps.acme.createAccountKey();
    writePrivateFile(accountKeyFile(deps.home, directory), `${deps.sealer().seal(key)}\n`);
  }
  const router = routerOf(deps, record);
  let issued;
  try {
    issued = await deps.acme.issue({
      directory,
      email: record.email ?? "",
      accountKey: key,
      names: record.names,
      answerer: { set: (token, auth) => router.setChallenge(token, auth), clear: (token) => router.clearChallenge(token) },
    });
  } catch (error) {
    const message = (error as Error).message;
    writeRecord(deps.home, { ...live, lastRenewal: { at: at(), ok: false, message } });
    throw new SlipwayError("E_CERTIFICATE_FAILED", `the CA at ${directory} did not issue a certificate for ${record.names.join(", ")}: ${message}`, { cause: error });
  }
  const facts = checkPair(issued.chain, issued.key, `the certificate the CA at ${directory} issued`, record.names);
  await withRouterLock(deps.routerDir, () => router.installCertificate(record.name, pemOf(issued.chain, issued.key)));
  writeRecord(deps.home, { ...record, lastRenewal: { at: at(), ok: true, message: `issued serial ${facts.serial}, expires ${facts.notAfter.toISOString()}` } });
  return facts;
}

/** Every ACME certificate of this host (or those named) renewed when due, or always with force. */
export async function renewCertificates(deps: CertificateDeps, options: { readonly force?: boolean; readonly only?: (record: CertificateRecord) => boolean } = {}): Promise<RenewOutcome[]> {
  const outcomes: RenewOutcome[] = [];
  for (const record of readRecords(deps.home).filter((r) => r.source === "acme" && (options.only?.(r) ?? true))) {
    if (record.names.length === 0) {
      // Never issued (the CA refused its first issuance): the environment's next deploy asks again.
      outcomes.push({ name: record.name, action: "not-due", message: "never issued; the next deploy of its environment asks the CA again" });
      continue;
    }
    const installed = routerOf(deps, record).certificate(record.name);
    const facts = installed === undefined ? undefined : certificateFacts(installed);
    if (!options.force && facts && covers(facts, record.names) && !renewalDue(facts, deps.clock.now())) {
      const due = new Date(facts.notAfter.getTime() - (facts.notAfter.getTime() - facts.notBefore.getTime()) / 3);
      outcomes.push({ name: record.name, action: "not-due", message: `expires ${facts.notAfter.toISOString()}; due for renewal from ${due.toISOString()}` });
      continue;
    }
    try {
      const renewed = await issue(deps, record);
      outcomes.push({ name: record.name, action: "renewed", message: `serial ${renewed.serial}, expires ${renewed.notAfter.toISOString()}` });
    } catch (error) {
      outcomes.push({ name: record.name, action: "failed", message: (error as Error).message });
    }
  }
  return outcomes;
}

export interface CertificateView extends CertificateRecord {
  readonly served?: CertificateFacts;
}

export function listCertificates(deps: Pick<CertificateDeps, "home" | "router" | "swarmRouter">): CertificateView[] {
  return readRecords(deps.home).map((record) => {
    const pem = record.router === "swarm" && deps.swarmRouter === undefined ? undefined : routerOf(deps, record).certificate(record.name);
    return pem === undefined ? record : { ...record, served: certificateFacts(pem) };
  });
}
