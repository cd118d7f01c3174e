/**
 * Runtime-API changes to what the web frontends serve, never a reload: a map replaced as a
 * whole in one atomic commit (`prepare map`, `add map @version`, `commit map`), a certificate
 * loaded or replaced (`set ssl cert` then `commit ssl cert`, plus `add ssl crt-list` for a new
 * one), an ACME challenge answered and withdrawn.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writePrivateFile } from "../core/private-files.js";
import { checkName } from "./names.js";
import { RouterError } from "./router-error.js";
import type { RuntimeOptions } from "./runtime-api.js";
import { certificateFile, inContainer, WEB_FILES } from "./web-files.js";

export type Command = (line: string, options?: RuntimeOptions) => Promise<string>;

async function expect(command: Command, line: string, pattern: RegExp, options?: RuntimeOptions): Promise<string> {
  const answer = (await command(line, options)).trim();
  if (!pattern.test(answer)) throw new RouterError("E_ROUTER_COMMAND", `HAProxy refused "${line}": ${answer.split("\n").slice(-3).join(" ")}`);
  return answer;
}

const EMPTY = /^$/;

/** Replaces the running map with the entries of a map file's text ("key value" lines). */
export async function replaceMap(command: Command, file: string, text: string): Promise<void> {
  const path = inContainer(file);
  const prepared = await expect(command, `prepare map ${path}`, /New version created: \d+/);
  const version = /New version created: (\d+)/.exec(prepared)?.[1] ?? "";
  for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
    await expect(command, `add map @${version} ${path} ${line}`, EMPTY);
  }
  await expect(command, `commit map @${version} ${path}`, EMPTY);
}

const TOKEN = /^[A-Za-z0-9_-]+$/;
const KEY_AUTHORIZATION = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function setChallenge(command: Command, token: string, keyAuthorization: string): Promise<void> {
  if (!TOKEN.test(token) || !KEY_AUTHORIZATION.test(keyAuthorization)) throw new RouterError("E_ROUTER_CONFIG", `an ACME token and key authorization are base64url text, not ${JSON.stringify(token)}`);
  await clearChallenge(command, token);
  await expect(command, `add map ${inContainer(WEB_FILES.acmeMap)} ${token} ${keyAuthorization}`, EMPTY);
}

export async function clearChallenge(command: Command, token: string): Promise<void> {
  if (!TOKEN.test(token)) throw new RouterError("E_ROUTER_CONFIG", `an ACME token is base64url text, not ${JSON.stringify(token)}`);
  // "Key not found." is as good as deleted.
  await expect(command, `del map ${inContainer(WEB_FILES.acmeMap)} ${token}`, /^$|not found/i);
}

/** Loads the PEM (chain then key) into the running HAProxy as certificate `name`: "added" when it is new. */
export async function loadCertificate(command: Command, name: string, pem: string): Promise<"added" | "replaced"> {
  const path = inContainer(certificateFile(checkName("certificate", name)));
  const known = (await command("show ssl cert")).split("\n").some((line) => line.trim() === path || line.trim() === `*${path}`);
  if (!known) await expect(command, `new ssl cert ${path}`, /New empty certificate store/);
  const payload = pem.split("\n").filter((line) => line.trim() !== "").join("\n");
  await expect(command, `set ssl cert ${path}`, /Transaction (created|updated)/, { payload });
  try {
    await expect(command, `commit ssl cert ${path}`, /Success!/);
  } catch (error) {
    await command(`abort ssl cert ${path}`).catch(() => undefined); // never hides the refusal
    throw error;
  }
  if (!known) await expect(command, `add ssl crt-list ${inContainer(WEB_FILES.crtList)} ${path}`, /Success!/);
  return known ? "replaced" : "added";
}

/** Stops serving certificate `name`: out of the crt-list, then freed. One HAProxy never loaded is no error. */
export async function unloadCertificate(command: Command, name: string): Promise<void> {
  const path = inContainer(certificateFile(checkName("certificate", name)));
  await expect(command, `del ssl crt-list ${inContainer(WEB_FILES.crtList)} ${path}`, /deleted|not found|no such|can't find/i);
  await expect(command, `del ssl cert ${path}`, /deleted|not found|no such|doesn't exist|can't find/i);
}

const readText = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, "utf8") : undefined);

/** The files as the next start or reload reads them; the ACME map's running entries are challenges in progress, kept. */
export function writeWebFiles(etcDir: string, files: Readonly<Record<string, string>>): void {
  for (const [file, text] of Object.entries(files)) {
    const path = join(etcDir, file);
    if (file === WEB_FILES.acmeMap && existsSync(path)) continue;
    if (readText(path) !== text) writePrivateFile(path, text);
  }
}

/** Each changed map replaced in the running HAProxy first, then on disk (a failure leaves the old file: tried again next time). */
export async function syncWebFiles(etcDir: string, command: Command, files: Readonly<Record<string, string>>): Promise<void> {
  for (const file of [WEB_FILES.hostsMap, WEB_FILES.httpsMap, WEB_FILES.hstsMap]) {
    const text = files[file] ?? "";
    if (readText(join(etcDir, file)) === text) continue;
    await replaceMap(command, file, text);
    writePrivateFile(join(etcDir, file), text);
  }
  writeWebFiles(etcDir, files);
}
