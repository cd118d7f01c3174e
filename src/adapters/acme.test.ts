import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureDefaultCertificate, readCertificateFile } from "../router/certificate-files.js";
import { AcmeError, createAcme } from "./acme.js";

const listening = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
const closed = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** A port on 127.0.0.1 nobody listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listening(server);
  await closed(server);
  return port;
}

async function issueFrom(directory: string): Promise<{ error: unknown; ms: number }> {
  const acme = createAcme();
  const started = Date.now();
  const answerer = { set: () => Promise.resolve(), clear: () => Promise.resolve() };
  try {
    await acme.issue({ directory, email: "ops@shop.example", accountKey: await acme.createAccountKey(), names: ["shop.example"], answerer });
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error("issued, against expectations");
}

describe("a CA that cannot be reached", () => {
  it("fails within seconds, naming the directory, ECONNREFUSED and what to check", async () => {
    const directory = `http://127.0.0.1:${await closedPort()}/dir`;
    const { error, ms } = await issueFrom(directory);
    expect(error).toBeInstanceOf(AcmeError);
    expect(ms).toBeLessThan(15_000);
    const message = (error as Error).message;
    expect(message).toContain(directory);
    expect(message).toContain("ECONNREFUSED");
    expect(message).toContain("acme.directory");
  }, 20_000);

  it("names the certificate error of a CA whose certificate is not trusted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-acme-tls-"));
    try {
      await ensureDefaultCertificate(dir);
      const pem = readCertificateFile(dir, "_default") ?? "";
      const server = createHttpsServer({ cert: pem, key: pem }, (_request, response) => response.end("{}"));
      const port = await listening(server);
      try {
        const { error, ms } = await issueFrom(`https://127.0.0.1:${port}/dir`);
        expect(ms).toBeLessThan(15_000);
        expect((error as Error).message).toMatch(/self-signed certificate/);
        expect((error as Error).message).toContain("NODE_EXTRA_CA_CERTS");
      } finally {
        server.closeAllConnections();
        await closed(server);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
