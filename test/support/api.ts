/**
 * The API on a real throwaway HTTP server (127.0.0.1, port 0) over a store of its own: a
 * SQLite home, or a PostgreSQL database; tokens of any role made through the application
 * layer; checkouts to register. The worker is left out unless a test brings one.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApp, createToken, type App, type AppSettings, type Role } from "../../src/app/index.js";
import type { WorkerControl } from "../../src/server/context.js";
import { buildServer } from "../../src/server/server.js";
import { runCommand } from "../../src/adapters/run-command.js";

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON (undefined when it is not). */
  readonly json: unknown;
}

export interface ApiHarness extends AsyncDisposable {
  readonly app: App;
  readonly url: string;
  readonly home: string;
  /** Every line the server logged. */
  readonly logs: string[];
  token(role: Role, project?: string): Promise<string>;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<ApiResponse>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  /** Settings beyond the environment: fakes of the adapters, a build limit. */
  readonly settings?: Omit<AppSettings, "env" | "identity">;
  readonly worker?: (app: App) => WorkerControl & { start?(): Promise<void>; stop?(graceMs: number): Promise<void> };
  /** A built web UI to serve at `/`. */
  readonly webRoot?: string;
}

export async function apiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const home = mkdtempSync(join(tmpdir(), "slipway-api-"));
  const env = { ...process.env, SLIPWAY_HOME: home, SLIPWAY_MASTER_KEY: "a-test-master-key-of-32-characters-or-more", ...options.env };
  const app = createApp({ env, identity: { pid: process.pid, hostname: hostname() }, ...options.settings });
  const logs: string[] = [];
  const shutdown = new AbortController();
  const worker = options.worker?.(app);
  const server = await buildServer({ app, version: "test", shutdown: shutdown.signal, log: (line) => void logs.push(line), ...(worker ? { worker } : {}), ...(options.webRoot ? { webRoot: options.webRoot } : {}) });
  await server.listen({ host: "127.0.0.1", port: 0 });
  await worker?.start?.();
  const { port } = server.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    home,
    logs,
    async token(role, project) {
      return (await createToken(app, { role, actor: "test", ...(project ? { project } : {}) })).token;
    },
    async request(method, path, { token, body, headers = {} } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async [Symbol.asyncDispose]() {
      shutdown.abort();
      await server.close();
      await worker?.stop?.(1000);
      await app[Symbol.asyncDispose]();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A git checkout of a tiny compose project named `name`, with test and production environments. */
export async function checkout(name: string, root: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Dockerfile"), "FROM busybox\nCMD [\"httpd\", \"-f\", \"-p\", \"80\"]\n");
  writeFileSync(join(dir, "docker-compose.yml"), "services:\n  web:\n    build: .\n    ports: [\"8080:80\"]\n    environment:\n      GREETING: ${GREETING:-hi}\n");
  writeFileSync(join(dir, "slipway.yml"), `project: ${name}\nenvironments:\n  test: {}\n  production: { default: true }\n`);
  for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.email=t@slipway.invalid", "-c", "user.name=t", "commit", "-q", "-m", "first"]]) {
    const result = await runCommand("git", ["-C", dir, ...args]);
    if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  }
  return dir;
}
