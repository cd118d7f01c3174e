/**
 * For the router's Docker tests: tiny HTTP backends (busybox httpd, published on 127.0.0.1 at an
 * ephemeral port), free ports, plain requests and a keep-alive load loop. All traffic: 127.0.0.1.
 */
import type Docker from "dockerode";
import { Agent, request } from "node:http";
import { createServer } from "node:net";

export const TEST_LABEL = { "slipway.test": "router" } as const;

export interface Backend {
  readonly id: string;
  /** "127.0.0.1:PORT" */
  readonly address: string;
}

/** A TCP port free on 127.0.0.1 right now (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

export function get(port: number, options: { host?: string; agent?: Agent; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: options.agent ?? false, headers: options.host ? { host: options.host } : {}, timeout: options.timeoutMs ?? 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** Polls until the port answers 200, so a test never races a starting server. */
export async function waitFor200(port: number, host?: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await get(port, host ? { host } : {}).catch(() => undefined);
    if (reply?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A busybox httpd container that answers every GET / with `body`. */
export async function startBackend(docker: Docker, body: string): Promise<Backend> {
  const container = await docker.createContainer({
    Image: "busybox",
    Cmd: ["sh", "-c", 'mkdir -p /www && echo "$BODY" > /www/index.html && exec httpd -f -p 80 -h /www'],
    Env: [`BODY=${body}`],
    Labels: { ...TEST_LABEL },
    ExposedPorts: { "80/tcp": {} },
    HostConfig: { PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
  });
  await container.start();
  const info = await container.inspect();
  const port = Number(info.NetworkSettings.Ports["80/tcp"]?.[0]?.HostPort);
  await waitFor200(port);
  return { id: container.id, address: `127.0.0.1:${port}` };
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly bodies: Readonly<Record<string, number>>;
  readonly errors: readonly string[];
}

/**
 * `concurrency` clients on keep-alive connections (clients that never retry) send requests
 * back to back until `durationMs` has passed; a non-200 or a network error is a failure.
 */
export async function loadLoop(options: { port: number; host?: string; concurrency?: number; durationMs?: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 20 });
  const until = Date.now() + (options.durationMs ?? 3000);
  const result = { ok: 0, failed: 0, bodies: {} as Record<string, number>, errors: [] as string[] };
  const client = async (): Promise<void> => {
    while (Date.now() < until) {
      try {
        const reply = await get(options.port, { agent, ...(options.host ? { host: options.host } : {}) });
        if (reply.status === 200) {
          result.ok++;
        } else {
          result.failed++;
          result.errors.push(`HTTP ${reply.status}`);
        }
        result.bodies[reply.body] = (result.bodies[reply.body] ?? 0) + 1;
      } catch (error) {
        result.failed++;
        result.errors.push((error as Error).message);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 20 }, client));
  } finally {
    agent.destroy();
  }
  return result;
}

/** Removes every container carrying the test label, stopped ones included. */
export async function removeLabelled(docker: Docker): Promise<void> {
  const label = Object.entries(TEST_LABEL).map(([k, v]) => `${k}=${v}`);
  for (const c of await docker.listContainers({ all: true, filters: { label } })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
}
