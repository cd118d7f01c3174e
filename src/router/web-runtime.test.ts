import { describe, expect, it } from "vitest";
import { isRouterError } from "./router-error.js";
import type { RuntimeOptions } from "./runtime-api.js";
import { clearChallenge, loadCertificate, replaceMap, setChallenge, unloadCertificate } from "./web-runtime.js";

/** A runtime API that records each command and answers from a table of patterns. */
function fake(answers: Array<[RegExp, string]>) {
  const sent: Array<{ line: string; payload?: string }> = [];
  const command = (line: string, options?: RuntimeOptions): Promise<string> => {
    sent.push({ line, ...(options?.payload ? { payload: options.payload } : {}) });
    return Promise.resolve(answers.find(([pattern]) => pattern.test(line))?.[1] ?? "");
  };
  return { sent, command };
}

const PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";

describe("web runtime commands", () => {
  it("replaces a map in one versioned commit", async () => {
    const api = fake([[/^prepare map/, "New version created: 7\n"]]);
    await replaceMap(api.command, "maps/hosts.map", "a.example shop_live_web_80\nb.example blog_live_web_80\n");
    expect(api.sent.map((s) => s.line)).toEqual([
      "prepare map /usr/local/etc/haproxy/maps/hosts.map",
      "add map @7 /usr/local/etc/haproxy/maps/hosts.map a.example shop_live_web_80",
      "add map @7 /usr/local/etc/haproxy/maps/hosts.map b.example blog_live_web_80",
      "commit map @7 /usr/local/etc/haproxy/maps/hosts.map",
    ]);
  });

  it("adds a new certificate to the crt-list, with the PEM as payload without empty lines", async () => {
    const api = fake([[/^show ssl cert/, "# filename\n/usr/local/etc/haproxy/certs/_default.pem\n"], [/^new ssl cert/, "New empty certificate store '/x'!"], [/^set ssl cert/, "Transaction created for certificate /x!"], [/^commit ssl cert/, "Committing /x\nSuccess!"], [/^add ssl crt-list/, "Inserting certificate\nSuccess!"]]);
    expect(await loadCertificate(api.command, "shop_live", PEM)).toBe("added");
    expect(api.sent.map((s) => s.line)).toEqual([
      "show ssl cert",
      "new ssl cert /usr/local/etc/haproxy/certs/shop_live.pem",
      "set ssl cert /usr/local/etc/haproxy/certs/shop_live.pem",
      "commit ssl cert /usr/local/etc/haproxy/certs/shop_live.pem",
      "add ssl crt-list /usr/local/etc/haproxy/certs.list /usr/local/etc/haproxy/certs/shop_live.pem",
    ]);
    expect(api.sent[2]?.payload).not.toMatch(/\n\s*\n/);
  });

  it("replaces a known certificate in place, and aborts the transaction when the commit is refused", async () => {
    const known = "# filename\n/usr/local/etc/haproxy/certs/shop_live.pem\n";
    const ok = fake([[/^show ssl cert/, known], [/^set ssl cert/, "Transaction updated for certificate /x!"], [/^commit ssl cert/, "Success!"]]);
    expect(await loadCertificate(ok.command, "shop_live", PEM)).toBe("replaced");
    const refused = fake([[/^show ssl cert/, known], [/^set ssl cert/, "Transaction created"], [/^commit ssl cert/, "unable to load the key"]]);
    const error = await loadCertificate(refused.command, "shop_live", PEM).catch((e: unknown) => e);
    expect(isRouterError(error, "E_ROUTER_COMMAND")).toBe(true);
    expect(refused.sent.at(-1)?.line).toBe("abort ssl cert /usr/local/etc/haproxy/certs/shop_live.pem");
  });

  it("answers and withdraws ACME challenges, and refuses a token that is not base64url", async () => {
    const api = fake([]);
    await setChallenge(api.command, "tok_en-1", "tok_en-1.thumb");
    await clearChallenge(api.command, "tok_en-1");
    expect(api.sent.map((s) => s.line)).toEqual([
      "del map /usr/local/etc/haproxy/maps/acme.map tok_en-1",
      "add map /usr/local/etc/haproxy/maps/acme.map tok_en-1 tok_en-1.thumb",
      "del map /usr/local/etc/haproxy/maps/acme.map tok_en-1",
    ]);
    await expect(setChallenge(api.command, "a b; shutdown", "x.y")).rejects.toThrow(/base64url/);
  });

  it("unloads a certificate: out of the crt-list, then freed", async () => {
    const api = fake([[/^del ssl crt-list/, "Entry '/x' deleted in crtlist '/y'!"], [/^del ssl cert/, "Certificate '/x' deleted!"]]);
    await unloadCertificate(api.command, "shop_live");
    expect(api.sent.map((s) => s.line)).toEqual(["del ssl crt-list /usr/local/etc/haproxy/certs.list /usr/local/etc/haproxy/certs/shop_live.pem", "del ssl cert /usr/local/etc/haproxy/certs/shop_live.pem"]);
  });
});
