/**
 * HAProxy's runtime API over its unix admin socket, and parsers for the answers we read.
 * Written on node:net: the npm packages that speak it (haproxy 0.3.0, haproxy-sdk 1.0.5,
 * node-haproxy 0.1.27) are single-author projects without releases for HAProxy's dynamic
 * servers (`add server`/`del server`, 2.4+); the protocol is one line out, text back.
 */
import { createConnection } from "node:net";
import { RouterError } from "./router-error.js";

export interface RuntimeOptions {
  readonly timeoutMs?: number;
  /** Lines sent after the command as its payload (`<command> <<`), such as a PEM: no empty line. */
  readonly payload?: string;
}

/**
 * Sends one command on a fresh connection and resolves with everything HAProxy answers
 * before it closes the connection (non-interactive mode: one command, one answer).
 */
export function runtimeCommand(socketPath: string, command: string, options: RuntimeOptions = {}): Promise<string> {
  if (/[\r\n]/.test(command)) {
    return Promise.reject(new RouterError("E_ROUTER_CONFIG", `runtime command ${JSON.stringify(command)} must be one line`));
  }
  const payload = options.payload?.trim();
  if (payload !== undefined && (payload === "" || /\n\s*\n/.test(payload))) {
    return Promise.reject(new RouterError("E_ROUTER_CONFIG", `the payload of runtime command "${command}" must be lines without an empty one`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = createConnection(socketPath);
    socket.setTimeout(options.timeoutMs ?? 5000, () => {
      socket.destroy(new RouterError("E_ROUTER_TIMEOUT", `HAProxy's admin socket ${socketPath} did not answer "${command}" in time`));
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      if (error instanceof RouterError) return reject(error);
      reject(new RouterError("E_ROUTER_UNAVAILABLE", `HAProxy's admin socket ${socketPath} is not answering (${error.message}): is the router container running?`, { cause: error }));
    });
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    // A payload ends at the first empty line.
    socket.end(payload === undefined ? `${command}\n` : `${command} <<\n${payload}\n\n`);
  });
}

/** One row of `show servers state`. */
export interface ServerStateRow {
  readonly backend: string;
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  readonly operational: number;
  /** srv_admin_state: bit flags, see `adminState`. */
  readonly admin: number;
}

/** Rows of `show servers state [<backend>]`: a version line "1", a "# …" header, then rows. */
export function parseServersState(text: string): ServerStateRow[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const header = lines.find((line) => line.startsWith("# "));
  if (lines[0] !== "1" || header === undefined) throw unexpected("show servers state", text);
  const columns = header.slice(2).split(" ");
  const at = (fields: readonly string[], name: string): string => fields[columns.indexOf(name)] ?? "";
  return lines
    .filter((line) => line !== "1" && !line.startsWith("#"))
    .map((line) => line.split(" "))
    .map((f) => ({
      backend: at(f, "be_name"),
      name: at(f, "srv_name"),
      ip: at(f, "srv_addr"),
      port: Number(at(f, "srv_port")),
      operational: Number(at(f, "srv_op_state")),
      admin: Number(at(f, "srv_admin_state")),
    }));
}

// srv_admin_state flags (HAProxy's include/haproxy/server-t.h): forced, inherited, config,
// resolution and hostname maintenance; forced and inherited drain.
const MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN = 0x08 | 0x10;

export function adminState(admin: number): "ready" | "drain" | "maint" {
  if (admin & MAINT) return "maint";
  return admin & DRAIN ? "drain" : "ready";
}

/** `show info`: "Name: value" lines. */
export function parseInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const colon = line.indexOf(": ");
    if (colon > 0) info[line.slice(0, colon)] = line.slice(colon + 2).trim();
  }
  if (info.Pid === undefined) throw unexpected("show info", text);
  return info;
}

/** `show stat`: CSV whose header line starts with "# "; one record per proxy or server. */
export function parseStat(text: string): Array<Record<string, string>> {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const header = lines[0];
  if (header === undefined || !header.startsWith("# ")) throw unexpected("show stat", text);
  const columns = header.slice(2).split(",");
  return lines.slice(1).map((line) => {
    const fields = line.split(",");
    return Object.fromEntries(columns.map((name, i) => [name, fields[i] ?? ""]));
  });
}

function unexpected(command: string, text: string): RouterError {
  return new RouterError("E_ROUTER_COMMAND", `HAProxy answered "${command}" with ${JSON.stringify(text.trim().slice(0, 200))}`);
}
