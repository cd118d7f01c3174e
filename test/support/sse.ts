/** Reads a Server-Sent Events stream to its end (or `until` one of its events), parsed by eventsource-parser. */
import { createParser } from "eventsource-parser";

export interface SseEvent {
  readonly id: number;
  readonly event: string;
  readonly data: unknown;
}

export interface ReadOptions {
  readonly token?: string;
  readonly lastEventId?: number;
  /** Stop reading (and disconnect) after the first event that matches. */
  readonly until?: (event: SseEvent) => boolean;
  readonly onEvent?: (event: SseEvent) => void;
  readonly signal?: AbortSignal;
}

export async function readEvents(url: string, options: ReadOptions = {}): Promise<SseEvent[]> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.lastEventId ? { "last-event-id": String(options.lastEventId) } : {}) },
    signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const events: SseEvent[] = [];
  let done = false;
  const parser = createParser({
    onEvent: (message) => {
      const event = { id: Number(message.id), event: message.event ?? "message", data: JSON.parse(message.data) as unknown };
      events.push(event);
      options.onEvent?.(event);
      if (options.until?.(event)) done = true;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      if (done) break;
    }
  } finally {
    controller.abort();
  }
  return events;
}
