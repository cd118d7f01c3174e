/**
 * Debian's Pebble ACME server for tests, started by the test itself on loopback ports, with
 * pebble-challtestsrv as its DNS server (every name resolves to 127.0.0.1), so that its HTTP-01
 * validation reaches the router's HTTP port. Its own TLS certificate is made here with openssl:
 * a child process trusts it through NODE_EXTRA_CA_CERTS, as Node trusts any CA.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/adapters/run-command.js";
import { freeListenPort } from "./hello-repo.js";

export interface Pebble extends AsyncDisposable {
  /** The ACME directory URL. */
  readonly directory: string;
  /** PEM file of the CA that signed Pebble's own TLS certificate (for NODE_EXTRA_CA_CERTS). */
  readonly tlsCaFile: string;
  /** PEM file of the root that Pebble's issued certificates chain to (for curl --cacert). */
  readonly rootFile: string;
}

async function waitFor(url: string, ca: string, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await runCommand("curl", ["-sf", "--cacert", ca, url]);
    if (result.exitCode === 0) return result.stdout;
    if (Date.now() > deadline) throw new Error(`${url} did not answer: ${result.stderr}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

export async function startPebble(options: { readonly httpPort: number; readonly blocklist?: readonly string[]; readonly validitySeconds?: number }): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-pebble-"));
  const cert = join(dir, "tls.pem");
  const key = join(dir, "tls.key");
  const made = await runCommand("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2"]);
  if (made.exitCode !== 0) throw new Error(`openssl: ${made.stderr}`);
  const [acmePort, managementPort, dnsPort, challManagementPort] = [await freeListenPort(), await freeListenPort(), await freeListenPort(), await freeListenPort()];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: cert,
      privateKey: key,
      httpPort: options.httpPort,
      tlsPort: await freeListenPort(),
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
      domainBlocklist: options.blocklist ?? [],
      certificateValidityPeriod: options.validitySeconds ?? 7 * 86_400,
    },
  };
  writeFileSync(join(dir, "pebble.json"), JSON.stringify(config));
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[], env: Record<string, string> = {}): void => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "ignore"] });
    children.push(child);
  };
  start("pebble-challtestsrv", ["-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", `127.0.0.1:${dnsPort}`, "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", `127.0.0.1:${challManagementPort}`]);
  // No sleeps before validation; no nonce rejections or authorization reuse by chance.
  start("pebble", ["-config", join(dir, "pebble.json"), "-dnsserver", `127.0.0.1:${dnsPort}`], { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" });
  const stop = async (): Promise<void> => {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
    await Promise.resolve();
  };
  try {
    const directory = `https://127.0.0.1:${acmePort}/dir`;
    await waitFor(directory, cert, 15_000);
    const root = await waitFor(`https://127.0.0.1:${managementPort}/roots/0`, cert, 5_000);
    const rootFile = join(dir, "root.pem");
    writeFileSync(rootFile, root);
    return { directory, tlsCaFile: cert, rootFile, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
