/**
 * Host names and automatic HTTPS through the router, against a real ACME CA (Debian's Pebble):
 * two projects share the router's HTTP and HTTPS ports, each name reaching its own project with
 * its own certificate; a deploy and a forced renewal under HTTPS load lose no request and never
 * reload HAProxy; a CA that refuses fails the deploy at preflight with nothing changed; a
 * certificate the user brings is served, and a mismatched pair is bad input; a host of `tls: off`
 * is served over plain HTTP only, with no certificate. A second Pebble issues certificates that
 * live 45 seconds, so that one falls due within the test and `certs renew` renews it unforced.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker } from "../../src/adapters/docker-engine.js";
import { runCommand } from "../../src/adapters/run-command.js";
import type { RenewOutcome } from "../../src/app/certs.js";
import { createRouter } from "../../src/router/router.js";
import { freeListenPort } from "../support/hello-repo.js";
import { httpGet, httpsGet, presentedNames, startHttpsLoad } from "../support/https.js";
import { startPebble, type Pebble } from "../support/pebble.js";
import { siteRepo, type SiteRepo } from "../support/site-repo.js";

let pebble: Pebble;
let root: string;
let env: Record<string, string>;
let ports: { http: number; https: number };
let ca: string;
let shop: SiteRepo;
let blog: SiteRepo;
/** What the first deploys printed: no private key may be among it. */
let printed = "";
const routerName = `slipway-router-https-${Math.random().toString(36).slice(2, 8)}`;

const routerInfo = () => createRouter({ docker: connectDocker, home: join(env.SLIPWAY_HOME ?? "", "router"), containerName: routerName }).info();
const https = (name: string, path = "/") => httpsGet({ name, port: ports.https, ca, path });

function acmeYml(): string {
  return `acme: { email: ops@example.com, directory: "${pebble.directory}" }`;
}

beforeAll(async () => {
  ports = { http: await freeListenPort(), https: await freeListenPort() };
  pebble = await startPebble({ httpPort: ports.http, blocklist: ["refused.test"] });
  ca = readFileSync(pebble.rootFile, "utf8");
  root = mkdtempSync(join(tmpdir(), "slipway-https-"));
  env = {
    SLIPWAY_HOME: join(root, "home"),
    SLIPWAY_ROUTER_NAME: routerName,
    SLIPWAY_ROUTER_IMAGE: "haproxy:2.6",
    SLIPWAY_HTTP_PORT: String(ports.http),
    SLIPWAY_HTTPS_PORT: String(ports.https),
    SLIPWAY_MASTER_KEY: "a-test-master-key-of-32-characters-or-more",
    // The CA's own TLS, trusted as Node trusts any CA.
    NODE_EXTRA_CA_CERTS: pebble.tlsCaFile,
  };
  shop = await siteRepo("shop", { env, hosts: ["shop.test", "www.shop.test"], extra: acmeYml() });
  blog = await siteRepo("blog", { env, hosts: ["blog.test"], extra: acmeYml() });
  for (const repo of [shop, blog]) {
    const result = await repo.slipway(["deploy"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const id = /deployment (\d+)/.exec(result.stdout + result.stderr)?.[1] ?? "?";
    const log = await repo.slipway(["logs", "--deployment", id]);
    expect(log.exitCode, log.stderr).toBe(0);
    printed += result.stdout + result.stderr + log.stdout;
  }
}, 300_000);

afterAll(async () => {
  for (const repo of [shop, blog]) await repo?.[Symbol.asyncDispose]();
  await runCommand("docker", ["rm", "-f", routerName]);
  await pebble?.[Symbol.asyncDispose]();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("host names and automatic HTTPS", () => {
  it("issues a certificate for both names of a deploy and serves the app over HTTPS with it (curl, SNI)", async () => {
    for (const name of ["shop.test", "www.shop.test"]) {
      const result = await runCommand("curl", ["-sS", "--resolve", `${name}:${ports.https}:127.0.0.1`, "--cacert", pebble.rootFile, `https://${name}:${ports.https}/`]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^${shop.project} `));
    }
    const [a, b, c] = [await https("shop.test"), await https("www.shop.test"), await https("blog.test")];
    expect(a.names).toContain("DNS:shop.test");
    expect(a.names).toContain("DNS:www.shop.test");
    expect(b.serial).toBe(a.serial);
    expect(c.names).toBe("DNS:blog.test");
    expect(c.serial).not.toBe(a.serial);
    // HTTP/2 offered by ALPN.
    const h2 = await runCommand("curl", ["-sS", "--http2", "-o", "/dev/null", "-w", "%{http_version}", "--resolve", `blog.test:${ports.https}:127.0.0.1`, "--cacert", pebble.rootFile, `https://blog.test:${ports.https}/`]);
    expect(h2.stdout).toBe("2");
  });

  it("redirects HTTP to HTTPS with a 308, keeping the path", async () => {
    const answer = await httpGet({ name: "shop.test", port: ports.http, path: "/a/b?c=1" });
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`https://shop.test:${ports.https}/a/b?c=1`);
  });

  it("sends each name to its own project only, and an unknown name to a 404 page", async () => {
    expect((await https("blog.test")).body).toMatch(new RegExp(`^${blog.project} `));
    expect((await https("www.shop.test")).body).toMatch(new RegExp(`^${shop.project} `));
    const unknown = await httpGet({ name: "other.test", port: ports.http });
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toContain(shop.project);
    expect(unknown.body).not.toContain(blog.project);
    // Over HTTPS, the fallback certificate: the client must accept it to see the 404.
    const tls = await runCommand("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "--resolve", `other.test:${ports.https}:127.0.0.1`, `https://other.test:${ports.https}/`]);
    expect(tls.stdout).toBe("404");
  });

  it("deploys v2 under HTTPS load with zero failed requests, without reloading HAProxy", async () => {
    const v2 = await shop.bump("v2");
    const before = await routerInfo();
    const load = startHttpsLoad({ name: "shop.test", port: ports.https, ca, connections: 20 });
    const result = await shop.slipway(["deploy"]);
    await new Promise((ok) => setTimeout(ok, 1500));
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(traffic.ok).toBeGreaterThan(100);
    expect(traffic).toMatchObject({ failed: 0 });
    expect((await https("shop.test")).body.trim()).toBe(`${shop.project} ${v2}`);
    const after = await routerInfo();
    expect(after.pid).toBe(before.pid);
    expect(after.uptimeSeconds).toBeGreaterThan(before.uptimeSeconds);
  });

  it("renews a certificate under HTTPS load with zero failed requests, serving the new one, without a reload", async () => {
    const before = await routerInfo();
    const served = (await https("shop.test")).serial;
    const load = startHttpsLoad({ name: "shop.test", port: ports.https, ca, connections: 20 });
    const result = await shop.slipway(["certs", "renew", "--force", "--project", shop.project]);
    await new Promise((ok) => setTimeout(ok, 1000));
    const traffic = await load.stop();
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/renewed/);
    expect(traffic.ok).toBeGreaterThan(50);
    expect(traffic).toMatchObject({ failed: 0 });
    const renewed = await https("www.shop.test");
    expect(renewed.serial).not.toBe(served);
    expect((await https("blog.test")).serial).toBeDefined();
    const after = await routerInfo();
    expect(after.pid).toBe(before.pid);
    expect(after.uptimeSeconds).toBeGreaterThan(before.uptimeSeconds);
    // Not due: a second run renews nothing.
    const again = await shop.slipway(["certs", "renew"]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/not due/);
    expect(again.stdout).not.toMatch(/: renewed/);
  });

  it("adds a host name under load through a new certificate and a map update, without a reload", async () => {
    const before = await routerInfo();
    expect((await httpGet({ name: "new.shop.test", port: ports.http })).status).toBe(404);
    await shop.configure(acmeYml(), ["shop.test", "www.shop.test", "new.shop.test"]);
    const load = startHttpsLoad({ name: "www.shop.test", port: ports.https, ca, connections: 10 });
    const result = await shop.slipway(["deploy"]);
    const traffic = await load.stop();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(traffic).toMatchObject({ failed: 0 });
    const added = await https("new.shop.test");
    expect(added.body).toMatch(new RegExp(`^${shop.project} `));
    expect(added.names).toContain("DNS:new.shop.test");
    expect((await httpGet({ name: "new.shop.test", port: ports.http })).status).toBe(308);
    expect((await routerInfo()).pid).toBe(before.pid);
  });

  it("lists every certificate with its names, issuer, expiry and last renewal", async () => {
    const result = await shop.slipway(["certs"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`${shop.project}/production: new.shop.test, shop.test, www.shop.test`);
    expect(result.stdout).toContain(`${blog.project}/production: blog.test`);
    expect(result.stdout).toMatch(/issuer Pebble Intermediate CA/);
    expect(result.stdout).toMatch(/last renewal: ok/);
    expect(result.stdout).not.toMatch(/PRIVATE KEY/);
    expect(printed).toMatch(/issued by Pebble Intermediate CA/);
    expect(printed).not.toMatch(/PRIVATE KEY/);
    // The owner's alone; the ACME account key sealed under the master key.
    const home = env.SLIPWAY_HOME ?? "";
    for (const dir of [join(home, "certs"), join(home, "router", "etc", "certs")]) {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    }
    const accountKeys = readdirSync(join(home, "certs")).filter((f) => f.startsWith("account-"));
    expect(accountKeys).toHaveLength(1);
    expect(readFileSync(join(home, "certs", accountKeys[0] ?? ""), "utf8")).toMatch(/^slipway:v1:/);
  });

  it("fails a deploy at preflight with the CA's answer when it refuses a name, leaving the live release and its certificate", async () => {
    const live = await https("shop.test");
    await shop.configure(acmeYml(), ["shop.test", "www.shop.test", "new.shop.test", "refused.test"]);
    const result = await shop.slipway(["deploy"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/preflight/);
    expect(result.stderr).toMatch(/forbidden by policy: "refused\.test"/);
    const after = await https("shop.test");
    expect(after.serial).toBe(live.serial);
    expect(after.body).toBe(live.body);
    expect((await httpGet({ name: "refused.test", port: ports.http })).status).toBe(404);
    const listed = await shop.slipway(["certs", "--project", shop.project]);
    expect(listed.stdout).toMatch(/last renewal: FAILED/);
    // The record still names what is live: renewal finds it not due and does not ask the CA again.
    const renew = await shop.slipway(["certs", "renew", "--project", shop.project]);
    expect(renew.exitCode, renew.stdout + renew.stderr).toBe(0);
    expect(renew.stdout).toMatch(/not due/);
    expect(renew.stdout).not.toMatch(/renewed|failed|refused\.test/);
    expect((await https("shop.test")).serial).toBe(live.serial);
  });

  it("moves a serving port route to a host name: the challenge answered before the switch, the port served until then", async () => {
    const listen = await freeListenPort();
    await using moved = await siteRepo("moved", { env, hosts: [], listen, extra: acmeYml() });
    const first = await moved.slipway(["deploy"]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(await (await fetch(`http://127.0.0.1:${listen}/`)).text()).toMatch(new RegExp(`^${moved.project} `));
    await moved.configure(acmeYml(), ["moved.test"]);
    const result = await moved.slipway(["deploy"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/issued by Pebble/);
    const answer = await https("moved.test");
    expect(answer.body).toMatch(new RegExp(`^${moved.project} `));
    expect(answer.names).toBe("DNS:moved.test");
    expect((await https("shop.test")).body).toMatch(new RegExp(`^${shop.project} `));
  });

  it("serves a host of tls: off over plain HTTP only, with no redirect and no certificate, though acme: is set", async () => {
    await using plain = await siteRepo("plain", { env, hosts: ["plain.test"], extra: `${acmeYml()}\nenvironments: { production: { tls: off } }` });
    const result = await plain.slipway(["deploy"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/issued by/);
    const answer = await httpGet({ name: "plain.test", port: ports.http, path: "/index.html?a=1" });
    expect(answer.status).toBe(200);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.body).toMatch(new RegExp(`^${plain.project} `));
    expect((await plain.slipway(["certs"])).stdout).not.toContain(plain.project);
    expect((await plain.slipway(["certs", "--project", plain.project])).stdout).toMatch(/^no certificates/);
    // Over HTTPS, no certificate names it and the app is not reached: the fallback and its 404.
    expect(await presentedNames({ name: "plain.test", port: ports.https })).not.toContain("plain.test");
    await expect(https("plain.test")).rejects.toThrow();
    const tls = await runCommand("curl", ["-sk", "-w", "\n%{http_code}", "--resolve", `plain.test:${ports.https}:127.0.0.1`, `https://plain.test:${ports.https}/`]);
    expect(tls.stdout).not.toContain(plain.project);
    expect(tls.stdout.split("\n").at(-1)).toBe("404");
    expect((await https("shop.test")).body).toMatch(new RegExp(`^${shop.project} `));
  });

  it("serves a certificate the user brings, and refuses a mismatched pair as bad input (exit 2)", async () => {
    const made = async (name: string): Promise<{ cert: string; key: string }> => {
      const [cert, key] = [join(root, `${name}.crt`), join(root, `${name}.key`)];
      const result = await runCommand("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=own.test", "-addext", "subjectAltName=DNS:own.test", "-days", "30"]);
      expect(result.exitCode, result.stderr).toBe(0);
      return { cert, key };
    };
    const [one, other] = [await made("one"), await made("other")];
    await using own = await siteRepo("own", { env, hosts: ["own.test"], extra: `environments: { production: { tls: { cert: ${one.cert}, key: ${other.key} } } }` });
    const mismatched = await own.slipway(["deploy"]);
    expect(mismatched.exitCode).toBe(2);
    expect(mismatched.stderr).toMatch(/private key does not belong to the certificate/);
    await own.configure(`environments: { production: { tls: { cert: ${one.cert}, key: ${one.key} }, hsts: true } }`, ["own.test"]);
    const result = await own.slipway(["deploy"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const answer = await httpsGet({ name: "own.test", port: ports.https, ca: readFileSync(one.cert, "utf8") });
    expect(answer.body).toMatch(new RegExp(`^${own.project} `));
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect((await https("shop.test")).headers["strict-transport-security"]).toBeUndefined();
    expect((await httpGet({ name: "own.test", port: ports.http })).status).toBe(308);
    // Down: the name is gone, its certificate served and renewed no more.
    const down = await own.slipway(["down"]);
    expect(down.exitCode, down.stderr).toBe(0);
    expect((await httpGet({ name: "own.test", port: ports.http })).status).toBe(404);
    const served = await runCommand("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "--resolve", `own.test:${ports.https}:127.0.0.1`, `https://own.test:${ports.https}/`]);
    expect(served.stdout).toBe("404");
    expect((await own.slipway(["certs"])).stdout).not.toContain(own.project);
  });
});

describe("a short-lived certificate", () => {
  it("is renewed under HTTPS load once due, and not before, serving the new one without a reload", async () => {
    // A CA of its own that issues 45-second certificates: due 30 s after issue, a third left.
    await using short = await startPebble({ httpPort: ports.http, validitySeconds: 45 });
    const shortCa = readFileSync(short.rootFile, "utf8");
    // Both CAs trusted: a deploy also renews what is due of the other projects on the host.
    const bothCas = join(root, "both-cas.pem");
    writeFileSync(bothCas, readFileSync(pebble.tlsCaFile, "utf8") + readFileSync(short.tlsCaFile, "utf8"));
    const shortEnv = { ...env, NODE_EXTRA_CA_CERTS: bothCas };
    await using brief = await siteRepo("brief", { env: shortEnv, hosts: ["brief.test"], extra: `acme: { email: ops@example.com, directory: "${short.directory}" }` });
    const renew = async (): Promise<RenewOutcome[]> => {
      const result = await brief.slipway(["certs", "renew", "--json", "--project", brief.project]);
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      return JSON.parse(result.stdout) as RenewOutcome[];
    };
    const deployed = await brief.slipway(["deploy"]);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    const first = await httpsGet({ name: "brief.test", port: ports.https, ca: shortCa });
    expect(first.body).toMatch(new RegExp(`^${brief.project} `));
    const [from, to] = [first.notBefore?.getTime() ?? 0, first.notAfter?.getTime() ?? 0];
    expect(to - from).toBeGreaterThan(40_000);
    expect(to - from).toBeLessThanOrEqual(46_000);
    expect(await renew()).toMatchObject([{ action: "not-due" }]);

    // Validity has a resolution of one second: wait for the next one past the due time.
    const due = to - (to - from) / 3;
    await new Promise((ok) => setTimeout(ok, Math.max(0, due - Date.now()) + 1000));
    const before = await routerInfo();
    const load = startHttpsLoad({ name: "brief.test", port: ports.https, ca: shortCa, connections: 20, maxSeconds: 30 });
    const renewed = await renew();
    await new Promise((ok) => setTimeout(ok, 1000));
    const traffic = await load.stop();
    expect(renewed).toMatchObject([{ action: "renewed" }]);
    expect(traffic.ok).toBeGreaterThan(50);
    expect(traffic).toMatchObject({ failed: 0 });
    expect((await httpsGet({ name: "brief.test", port: ports.https, ca: shortCa })).serial).not.toBe(first.serial);
    const after = await routerInfo();
    expect(after.pid).toBe(before.pid);
    expect(after.uptimeSeconds).toBeGreaterThan(before.uptimeSeconds);
    // The new one is not due: a run right after renews nothing.
    expect(await renew()).toMatchObject([{ action: "not-due" }]);
  });
});
