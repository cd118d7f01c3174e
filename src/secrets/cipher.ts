/**
 * Variables at rest: AES-256-GCM (node:crypto) under the master key. A sealed value is
 * `slipway:v1:<base64(iv ‖ tag ‖ ciphertext)>`; GCM's tag makes a wrong key an error, never
 * garbage. Digests (to tell whether two releases ran with the same variables) are HMACs under a
 * key derived from the master key, so a digest cannot be brute-forced into a short secret.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { SlipwayError } from "../core/errors.js";

const PREFIX = "slipway:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealer {
  seal(plain: string): string;
  /** `what` names the thing in the error when the key does not open it. */
  open(sealed: string, what: string): string;
  digest(text: string): string;
  /** Where the key came from, for messages. */
  readonly keySource: string;
}

function derive(material: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", material, Buffer.from("slipway"), Buffer.from(info), 32));
}

export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

export function createSealer(material: Buffer, keySource: string): Sealer {
  const encryptionKey = derive(material, "variables");
  const digestKey = derive(material, "digest");
  return {
    keySource,
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    },
    open(sealed, what) {
      if (!isSealed(sealed)) throw new SlipwayError("E_INTERNAL", `${what} is not in a format this Slipway can read`);
      const raw = Buffer.from(sealed.slice(PREFIX.length), "base64");
      const decipher = createDecipheriv("aes-256-gcm", encryptionKey, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch (error) {
        throw new SlipwayError(
          "E_SECRET_KEY",
          `${what} cannot be decrypted with the master key from ${keySource}: it is not the key they were encrypted with. Set SLIPWAY_MASTER_KEY (or restore the key file) to the key in use when they were set`,
          { cause: error },
        );
      }
    },
    digest(text) {
      return createHmac("sha256", digestKey).update(text).digest("hex").slice(0, 16);
    },
  };
}

/** A new random key, as the text a key file or SLIPWAY_MASTER_KEY holds. */
export function generateKeyText(): string {
  return randomBytes(32).toString("base64");
}

export const MINIMUM_KEY_LENGTH = 32;

/** The key material of a key text; too short a key is refused rather than silently weak. */
export function keyMaterial(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (trimmed.length < MINIMUM_KEY_LENGTH) {
    throw new SlipwayError("E_SECRET_KEY", `the master key from ${source} is ${trimmed.length} characters long; it needs at least ${MINIMUM_KEY_LENGTH} (generate one with: slipway env generate-key)`);
  }
  return Buffer.from(trimmed, "utf8");
}
