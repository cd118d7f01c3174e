/**
 * A deploy key for a project fetched over SSH: an Ed25519 key pair made by OpenSSH's own
 * ssh-keygen (node:crypto makes Ed25519 keys too, but only in PKCS#8, which OpenSSH does not
 * read for Ed25519). The files live for the length of the call, in a 0700 directory.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SlipwayError } from "../core/errors.js";
import { PRIVATE_DIR } from "../core/private-files.js";
import { CommandNotFoundError, runCommand } from "./run-command.js";

export interface DeployKey {
  /** OpenSSH's private key format. */
  readonly privateKey: string;
  /** One line for authorized_keys or a repository's deploy keys: ssh-ed25519 AAAA… comment. */
  readonly publicKey: string;
}

export async function generateDeployKey(scratch: string, comment: string): Promise<DeployKey> {
  mkdirSync(scratch, { recursive: true, mode: PRIVATE_DIR });
  const dir = mkdtempSync(join(scratch, "keygen-"));
  const file = join(dir, `key-${randomBytes(4).toString("hex")}`);
  try {
    const made = await runCommand("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
    if (made.exitCode !== 0) throw new SlipwayError("E_INTERNAL", `ssh-keygen could not make a deploy key: ${made.stderr.trim()}`);
    return { privateKey: readFileSync(file, "utf8"), publicKey: readFileSync(`${file}.pub`, "utf8").trim() };
  } catch (error) {
    if (error instanceof CommandNotFoundError) throw new SlipwayError("E_GIT", "ssh-keygen is not installed: apt-get install openssh-client", { cause: error });
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
