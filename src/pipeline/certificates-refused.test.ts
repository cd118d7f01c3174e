import { randomBytes, webcrypto } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Acme, AcmeOrder } from "../adapters/acme.js";
import { AcmeError } from "../adapters/acme.js";
import { isSlipwayError } from "../core/errors.js";
import type { Router } from "../router/router.js";
import { createSealer } from "../secrets/cipher.js";
import { readRecord } from "./certificate-records.js";
import { ensureCertificate, renewCertificates, type CertificateDeps, type CertificateTarget } from "./certificates.js";

const DIRECTORY = "https://ca.test/directory";

/** A CA in memory: issues a 90-day self-signed certificate for the names, refuses those listed; counts orders. */
function fakeCa(refused: readonly string[]): Acme & { orders: string[][] } {
  const orders: string[][] = [];
  return {
    orders,
    createAccountKey: () => Promise.resolve("account key"),
    async issue(order: AcmeOrder) {
      orders.push([...order.names]);
      const no = order.names.find((name) => refused.includes(name));
      if (no !== undefined) throw new AcmeError(`urn:ietf:params:acme:error:rejectedIdentifier: ${no} is refused`);
      const x509 = await import("@peculiar/x509");
      const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
      const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
      const now = Date.now();
      const certificate = await x509.X509CertificateGenerator.createSelfSigned(
        {
          serialNumber: "01",
          name: "CN=fake",
          notBefore: new Date(now - 60_000),
          notAfter: new Date(now + 90 * 86_400_000),
          keys,
          signingAlgorithm: algorithm,
          extensions: [new x509.SubjectAlternativeNameExtension(order.names.map((value) => ({ type: "dns" as const, value })))],
        },
        webcrypto,
      );
      const key = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");
      return { chain: certificate.toString("pem"), key: `-----BEGIN PRIVATE KEY-----\n${key.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END PRIVATE KEY-----\n` };
    },
  };
}

/** Only what certificates use of the router: its installed PEMs, in memory. */
function fakeRouter(): Router {
  const pems = new Map<string, string>();
  const router: Partial<Router> = {
    certificate: (name) => pems.get(name),
    installCertificate: (name, pem) => {
      const known = pems.has(name);
      pems.set(name, pem);
      return Promise.resolve(known ? "replaced" : "added");
    },
    setChallenge: () => Promise.resolve(),
    clearChallenge: () => Promise.resolve(),
  };
  return router as Router;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(refused: readonly string[]): { deps: CertificateDeps; ca: ReturnType<typeof fakeCa> } {
  const home = mkdtempSync(join(tmpdir(), "slipway-refused-"));
  dirs.push(home);
  const sealer = createSealer(randomBytes(32), "test");
  const ca = fakeCa(refused);
  const clock = { now: () => Date.now(), sleep: () => Promise.resolve() };
  return { ca, deps: { router: fakeRouter(), home, routerDir: home, clock, sealer: () => sealer, acme: ca } };
}

const target = (hosts: readonly string[]): CertificateTarget => ({
  project: "shop",
  environment: "production",
  name: "shop-production",
  hosts,
  tls: { mode: "acme", acme: { email: "ops@shop.example", directory: DIRECTORY } },
  projectDir: "/nonexistent",
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isSlipwayError(error) ? error.code : "not a SlipwayError";
  }
  return undefined;
}

describe("a host name the CA refuses", () => {
  it("leaves the record naming what is live, so the live certificate is not due", async () => {
    const { deps, ca } = setup(["refused.shop.example"]);
    await ensureCertificate(deps, target(["shop.example"]));
    expect(await codeOf(ensureCertificate(deps, target(["shop.example", "refused.shop.example"])))).toBe("E_CERTIFICATE_FAILED");

    const record = readRecord(deps.home, "shop-production");
    expect(record?.names).toEqual(["shop.example"]);
    expect(record?.lastRenewal?.ok).toBe(false);
    expect(record?.lastRenewal?.message).toContain("refused.shop.example is refused");

    const orders = ca.orders.length;
    expect((await renewCertificates(deps)).map((outcome) => outcome.action)).toEqual(["not-due"]);
    expect(ca.orders.length).toBe(orders);
  });

  it("on a first issuance, records no name, and renewal does not ask the CA again", async () => {
    const { deps, ca } = setup(["shop.example"]);
    expect(await codeOf(ensureCertificate(deps, target(["shop.example"])))).toBe("E_CERTIFICATE_FAILED");
    expect(readRecord(deps.home, "shop-production")?.names).toEqual([]);
    expect((await renewCertificates(deps)).map((outcome) => outcome.action)).toEqual(["not-due"]);
    expect((await renewCertificates(deps, { force: true })).map((outcome) => outcome.action)).toEqual(["not-due"]);
    expect(ca.orders.length).toBe(1);
  });
});
