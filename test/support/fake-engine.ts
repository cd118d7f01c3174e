/**
 * A unix socket standing where DOCKER_HOST points, that counts every connection made to it:
 * proof that a command did not call the engine. It answers nothing, or, given a version, only
 * `GET /version` (what `slipway check` asks of an engine), so a check can pass without one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface FakeEngine extends AsyncDisposable {
  readonly dockerHost: string;
  connections(): number;
}

export async function listenFakeEngine(options: { version?: string } = {}): Promise<FakeEngine> {
  const path = join(mkdtempSync(join(tmpdir(), "slipway-fake-engine-")), "docker.sock");
  let count = 0;
  const { version } = options;
  const server: Server =
    version === undefined
      ? createServer((socket) => {
          count++;
          socket.destroy();
        })
      : createHttpServer((request, response) => {
          const known = request.method === "GET" && /^(\/v[\d.]+)?\/version$/.test(request.url ?? "");
          response.writeHead(known ? 200 : 404, { "content-type": "application/json" });
          response.end(JSON.stringify(known ? { Version: version, ApiVersion: "1.43" } : { message: "not faked" }));
        }).on("connection", () => count++);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    dockerHost: `unix://${path}`,
    connections: () => count,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          rmSync(dirname(path), { recursive: true, force: true });
          resolve();
        }),
      ),
  };
}
