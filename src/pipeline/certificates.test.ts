import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import { ensureDefaultCertificate, readCertificateFile } from "../router/certificate-files.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Acme } from "../adapters/acme.js";
import { systemClock } from "../core/clock.js";
import type { CertificateRouter } from "../router/router.js";
import type { Sealer } from "../secrets/cipher.js";
import { readRecord } from "./certificate-records.js";
import { checkPair, ensureCertificate, listCertificates, renewCertificates, type CertificateDeps } from "./certificates.js";

/** The router's fallback certificate (self-signed, CN slipway-router.invalid, no DNS name) and its key. */
async function selfSigned(): Promise<{ chain: string; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-pair-"));
  try {
    await ensureDefaultCertificate(dir);
    const pem = readCertificateFile(dir, "_default") ?? "";
    const split = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    return { chain: pem.slice(0, split), key: pem.slice(split) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return isSlipwayError(error) ? error.code : "not a SlipwayError";
  }
  return undefined;
};

describe("checkPair", () => {
  it("accepts a certificate with its own key, for no host", async () => {
    const { chain, key } = await selfSigned();
    expect(checkPair(chain, key, "test", []).issuer).toBe("slipway-router.invalid");
  });

  it("refuses another key, a host the certificate does not name, and text that is no PEM, as bad input", async () => {
    const { chain, key } = await selfSigned();
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(codeOf(() => checkPair(chain, other, "test", []))).toBe("E_CONFIG_INVALID");
    expect(codeOf(() => checkPair(chain, key, "test", ["shop.example"]))).toBe("E_CONFIG_INVALID");
    expect(codeOf(() => checkPair("not a certificate", key, "test", []))).toBe("E_CONFIG_INVALID");
  });
});

/** A certificate for these names, self-signed, and its key (what a fake CA issues). */
async function issuedFor(names: readonly string[]): Promise<{ chain: string; key: string }> {
  const x509 = await import("@peculiar/x509");
  const { webcrypto } = await import("node:crypto");
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: "01",
      name: `CN=${names[0] ?? "none"}`,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 90 * 86_400_000),
      keys,
      signingAlgorithm: algorithm,
      extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value })))],
    },
    webcrypto,
  );
  const key = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");
  return { chain: certificate.toString("pem"), key: `-----BEGIN PRIVATE KEY-----\n${key.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END PRIVATE KEY-----\n` };
}

/** A router that keeps its certificates and challenges in memory. */
function memoryRouter(): CertificateRouter & { readonly installed: Map<string, string>; readonly challenges: string[] } {
  const installed = new Map<string, string>();
  const challenges: string[] = [];
  return {
    installed,
    challenges,
    installCertificate: (name, pem) => (installed.set(name, pem), Promise.resolve("written")),
    removeCertificate: (name) => (installed.delete(name), Promise.resolve()),
    certificate: (name) => installed.get(name),
    setChallenge: (token) => (challenges.push(token), Promise.resolve()),
    clearChallenge: () => Promise.resolve(),
  };
}

describe("certificates of swarm environments", () => {
  function setup() {
    const home = mkdtempSync(join(tmpdir(), "slipway-certs-"));
    const single = memoryRouter();
    const swarm = memoryRouter();
    const acme: Acme = {
      createAccountKey: () => Promise.resolve("account-key"),
      async issue(order) {
        await order.answerer.set("token", "token.thumbprint");
        await order.answerer.clear("token");
        return issuedFor(order.names);
      },
    };
    const sealer = { seal: (text: string) => text, open: (text: string) => text } as unknown as Sealer;
    const deps: CertificateDeps = { router: single, swarmRouter: swarm, home, routerDir: join(home, "router"), clock: systemClock, sealer: () => sealer, acme };
    return { home, single, swarm, deps, [Symbol.dispose]: () => rmSync(home, { recursive: true, force: true }) };
  }
  const target = { project: "shop", environment: "live", name: "shop-live", hosts: ["shop.test"], tls: { mode: "acme", acme: { directory: "https://ca.test/dir", email: "ops@example.com" } }, projectDir: "/nowhere" } as const;

  it("issues into the swarm router, answering the challenge there, and records which router serves it", async () => {
    using s = setup();
    expect(await ensureCertificate(s.deps, { ...target, router: "swarm" })).toMatch(/^certificate for shop\.test issued by shop\.test/);
    expect([...s.swarm.installed.keys()]).toEqual(["shop-live"]);
    expect(s.swarm.challenges).toEqual(["token"]);
    expect(s.single.installed.size + s.single.challenges.length).toBe(0);
    expect(readRecord(s.home, "shop-live")?.router).toBe("swarm");
    // Listed as served by the swarm router's PEM.
    expect(listCertificates(s.deps).map((c) => [c.name, c.served?.names])).toEqual([["shop-live", ["shop.test"]]]);
  });

  it("renews a swarm certificate into the swarm router and a single-host one into its own", async () => {
    using s = setup();
    await ensureCertificate(s.deps, { ...target, router: "swarm" });
    await ensureCertificate(s.deps, { ...target, environment: "test", name: "shop-test", hosts: ["test.shop.test"] });
    const before = { swarm: s.swarm.installed.get("shop-live"), single: s.single.installed.get("shop-test") };
    const outcomes = await renewCertificates(s.deps, { force: true });
    expect(outcomes.map((o) => [o.name, o.action])).toEqual([["shop-live", "renewed"], ["shop-test", "renewed"]]);
    expect([...s.swarm.installed.keys()]).toEqual(["shop-live"]);
    expect([...s.single.installed.keys()]).toEqual(["shop-test"]);
    expect(s.swarm.installed.get("shop-live")).not.toBe(before.swarm);
    expect(s.single.installed.get("shop-test")).not.toBe(before.single);
  });
});
