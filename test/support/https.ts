/**
 * HTTPS through the router to a host name on 127.0.0.1: SNI and Host set to the name, the
 * test CA trusted. A load of keep-alive clients that never retry, bounded in time.
 */
import { X509Certificate } from "node:crypto";
import { request as httpRequest } from "node:http";
import { Agent, request } from "node:https";
import { connect, type TLSSocket } from "node:tls";

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The serial number of the certificate the router presented (HTTPS only). */
  readonly serial?: string;
  readonly names?: string;
  /** Its validity (HTTPS only). */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

function validity(raw: Buffer): { notBefore: Date; notAfter: Date } {
  const certificate = new X509Certificate(raw);
  return { notBefore: certificate.validFromDate, notAfter: certificate.validToDate };
}

export function httpsGet(options: { readonly name: string; readonly port: number; readonly ca: string; readonly path?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: options.port, servername: options.name, headers: { host: options.name }, path: options.path ?? "/", ca: options.ca, agent: false, timeout: 10_000 }, (res) => {
      const certificate = (res.socket as TLSSocket).getPeerCertificate();
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers, serial: certificate.serialNumber, names: certificate.subjectaltname, ...validity(certificate.raw) }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** The names of the certificate the router presents for a name, whoever signed it (unverified). */
export function presentedNames(options: { readonly name: string; readonly port: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: options.port, servername: options.name, rejectUnauthorized: false, timeout: 10_000 }, () => {
      resolve(socket.getPeerCertificate().subjectaltname ?? "");
      socket.end();
    });
    socket.on("timeout", () => socket.destroy(new Error("timed out")));
    socket.on("error", reject);
  });
}

export function httpGet(options: { readonly name: string; readonly port: number; readonly path?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: options.port, headers: { host: options.name }, path: options.path ?? "/", agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

export interface HttpsLoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly failures: Readonly<Record<string, number>>;
}

export function startHttpsLoad(options: { readonly name: string; readonly port: number; readonly ca: string; readonly connections?: number; readonly maxSeconds?: number }): { stop(): Promise<HttpsLoadResult> } {
  const connections = options.connections ?? 20;
  const agent = new Agent({ keepAlive: true, maxSockets: connections, ca: options.ca, servername: options.name });
  const result = { ok: 0, failed: 0, failures: {} as Record<string, number> };
  const fail = (kind: string): void => {
    result.failed++;
    result.failures[kind] = (result.failures[kind] ?? 0) + 1;
  };
  const until = Date.now() + (options.maxSeconds ?? 120) * 1000;
  let running = true;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request({ host: "127.0.0.1", port: options.port, servername: options.name, headers: { host: options.name }, path: "/", agent, timeout: 20_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) result.ok++;
          else fail(`HTTP ${status}`);
          resolve();
        });
        res.on("error", (error) => (fail(error.message), resolve()));
      });
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", (error: NodeJS.ErrnoException) => (fail(error.code ?? error.message), resolve()));
      req.end();
    });
  const loops = Array.from({ length: connections }, async () => {
    while (running && Date.now() < until) await once();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}
