/**
 * What the router accepts as backend and server names, host names and server addresses.
 * Checked before anything reaches HAProxy: names end up in a config file and on the runtime
 * socket's command line, where a space or a ";" would start another keyword or command.
 */
import { isIP } from "node:net";
import { RouterError } from "./router-error.js";

const NAME = /^[A-Za-z0-9_.-]+$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkName(kind: "backend" | "server" | "certificate", name: string): string {
  if (!NAME.test(name)) {
    throw new RouterError("E_ROUTER_CONFIG", `${kind} name ${JSON.stringify(name)} may only hold letters, digits, "_", "-" and "."`);
  }
  return name;
}

/** Lower-cased host name (HAProxy compares with -i, but the config stays canonical). */
export function checkHost(host: string): string {
  const lower = host.toLowerCase();
  if (lower.length > 253 || !lower.split(".").every((label) => HOST_LABEL.test(label))) {
    throw new RouterError("E_ROUTER_CONFIG", `host ${JSON.stringify(host)} is not a host name (letters, digits, "-", dot-separated; no port, no wildcard)`);
  }
  return lower;
}

export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RouterError("E_ROUTER_CONFIG", `listen port ${port} is not a TCP port (1-65535)`);
  }
  return port;
}

/**
 * "127.0.0.1:49153" or "[::1]:49153": an IP, never a host name, because HAProxy 2.6 creates
 * dynamic servers with `init-addr none` and would never resolve the name.
 */
export function checkAddress(address: string): string {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(address);
  const ip = match?.[1] ?? match?.[2] ?? "";
  const port = Number(match?.[3]);
  const family = match?.[1] === undefined ? 4 : 6;
  if (!match || isIP(ip) !== family || port < 1 || port > 65535) {
    throw new RouterError("E_ROUTER_CONFIG", `server address ${JSON.stringify(address)} must be IP:PORT, e.g. 127.0.0.1:49153 or [::1]:49153`);
  }
  return address;
}

/** HAProxy reports address and port apart; this puts them back the way callers gave them. */
export function joinAddress(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}
