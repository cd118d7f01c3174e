import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSlipwayError } from "../core/errors.js";
import { ensureDefaultCertificate, readCertificateFile } from "../router/certificate-files.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPair } from "./certificates.js";

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
