/** Whether a TCP port can be bound on 127.0.0.1 right now (nothing listens there, nor on every address). */
import { createServer } from "node:net";

export function canBindLoopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    // exclusive: never share a port another process of ours listens on (the cluster module's way).
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}
