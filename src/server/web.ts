/**
 * The web UI: the files `npm run build` put in dist/web, served at `/` to anyone (they hold no
 * data: every page asks the API, which checks who asks), brotli or gzip as built. The page may
 * load nothing but what this server serves.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import staticFiles from "@fastify/static";
import type { FastifyReply } from "fastify";
import type { ZodServer } from "./context.js";

const POLICY = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"].join("; ");

function headersFor(reply: FastifyReply, path: string): void {
  reply.header("x-content-type-options", "nosniff");
  if (path.endsWith(".html")) {
    reply.header("content-security-policy", POLICY);
    reply.header("cache-control", "no-cache");
    reply.header("referrer-policy", "same-origin");
  } else {
    // Built names carry a hash of their content.
    reply.header("cache-control", "public, max-age=31536000, immutable");
  }
}

/** Serves `root` when it exists; false when it does not (the package was not built). */
export async function webRoutes(server: ZodServer, root: string): Promise<boolean> {
  if (!existsSync(root)) return false;
  await server.register(async (web) => {
    // Every file of the UI is public; the API's routes keep their own access.
    web.addHook("onRoute", (route) => {
      route.config = { ...(route.config as object), access: "public" };
    });
    await web.register(staticFiles, { root, wildcard: false, preCompressed: true, index: false, setHeaders: headersFor });
    // The page itself, at `/` (a few hundred bytes, sent as it is: the static plugin looks for
    // a compressed copy of `/` rather than of index.html).
    const page = readFileSync(join(root, "index.html"));
    web.get("/", { schema: { hide: true } }, (_request, reply) => {
      headersFor(reply, "index.html");
      return reply.type("text/html; charset=utf-8").send(page);
    });
  });
  return true;
}
