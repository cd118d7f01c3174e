/**
 * Server-Sent Events: each stored event as `id:` (its row id, for Last-Event-ID), `event:` (its
 * type) and `data:` (its JSON, one line), with a comment now and then so that proxies keep the
 * connection open. The stream ends after the deployment's final event, when the client goes, or
 * when the server stops.
 */
import { once } from "node:events";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { StoredEvent } from "../app/index.js";
import { logRequest } from "./request-log.js";

const KEEP_ALIVE_MS = 15_000;

export function formatEvent(event: StoredEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${event.json}\n\n`;
}

/** Last-Event-ID as a number (0: from the start). */
export function lastEventId(request: FastifyRequest): number {
  const header = request.headers["last-event-id"];
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** A signal aborted when the client disconnects or the server stops. */
export function streamSignal(request: FastifyRequest, shutdown: AbortSignal): AbortSignal {
  const closed = new AbortController();
  request.raw.once("close", () => closed.abort());
  return AbortSignal.any([closed.signal, shutdown]);
}

export async function streamEvents(request: FastifyRequest, reply: FastifyReply, events: AsyncIterable<StoredEvent>, signal: AbortSignal): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" });
  raw.write(": events of a Slipway deployment\n\n");
  const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  const started = performance.now();
  try {
    for await (const event of events) {
      if (signal.aborted) break;
      if (!raw.write(formatEvent(event))) await once(raw, "drain", { signal });
    }
  } catch (error) {
    if (!signal.aborted) request.log.error({ error: (error as Error).message }, "event stream failed");
  } finally {
    clearInterval(keepAlive);
    raw.end();
    logRequest(request, 200, performance.now() - started);
  }
}
