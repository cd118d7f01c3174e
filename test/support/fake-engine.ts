/**
 * A unix socket standing where DOCKER_HOST points, that counts every connection made to it:
 * proof that a command did not call the engine. It answers nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface FakeEngine extends AsyncDisposable {
  readonly dockerHost: string;
  connections(): number;
}

export async function listenFakeEngine(): Promise<FakeEngine> {
  const path = join(mkdtempSync(join(tmpdir(), "slipway-fake-engine-")), "docker.sock");
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
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
