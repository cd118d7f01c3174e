/**
 * `slipway serve`: the JSON API and the queue worker in one process. Its own entry point (the
 * launcher sends `serve` here), the only file of the server that prints or touches `process`.
 * SIGTERM or SIGINT: stop taking work, let running deployments reach their end within the grace
 * period, then cancel what still runs (before its switch), and exit 0.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hostname } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { createApp, parseDuration, renewCertificates, settleDeliveries, SlipwayError, type App } from "../app/index.js";
import { buildServer } from "./server.js";
import { createWorker, type Worker } from "./worker.js";

export interface ServeOptions {
  readonly listen: { host: string; port: number };
  readonly buildLimit: number;
  /** Milliseconds (the option is --deadline). */
  readonly deadline: number;
  /** Milliseconds (the option is --grace). */
  readonly grace: number;
  readonly maxDeployments: number;
  readonly worker: boolean;
}

function version(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/** The built UI: dist/web of the package, from the bundle (dist/bundle) as from the source (src/server). */
function webRoot(): string {
  return fileURLToPath(new URL("../../dist/web", import.meta.url));
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new InvalidArgumentError("give HOST:PORT, such as 127.0.0.1:8420 or [::1]:8420");
  return { host: match[1] ?? match[2] ?? "", port };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const duration = (text: string): number => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError("give a duration such as 90s, 30m or 1h");
  return ms;
};
const positive = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("give a whole number of 1 or more");
  return n;
};

const option = <T>(flags: string, description: string, parse: (text: string) => T, value: T, shown: string): Option => new Option(flags, description).argParser(parse).default(value, shown);

export function serveCommand(action: (options: ServeOptions) => Promise<void>): Command {
  return new Command("serve")
    .description("run the JSON API and the deployment queue worker (history and queue in the store: SQLite, or PostgreSQL with SLIPWAY_DATABASE_URL)")
    .addOption(option("--listen <host:port>", "where to listen (loopback by default: put a TLS proxy in front for anything else)", parseListen, { host: "127.0.0.1", port: 8420 }, "127.0.0.1:8420"))
    .addOption(option("--build-limit <n>", "builds run at once on this host", positive, 1, "1"))
    .addOption(option("--deadline <duration>", "a deployment still running after this is cancelled cleanly", duration, 30 * 60_000, "30m"))
    .addOption(option("--grace <duration>", "on SIGTERM, how long running deployments may take to finish before they are cancelled", duration, 5 * 60_000, "5m"))
    .addOption(option("--max-deployments <n>", "deployments run at once by this process (one per environment at most)", positive, 8, "8"))
    .option("--no-worker", "serve the API only: another process runs the queue")
    .action(async (flags: ServeOptions) => action(flags));
}

/** On SIGTERM, how long deliveries still retrying may take before the server exits without them. */
const DELIVERIES_GRACE_MS = 20_000;

function logLine(fields: Record<string, unknown>): string {
  return `${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), ...fields })}\n`;
}

/** Resolves once SIGTERM or SIGINT has come; a second one exits at once. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const handler = (name: NodeJS.Signals): void => {
      if (seen) process.exit(128 + (name === "SIGINT" ? 2 : 15));
      seen = true;
      resolve(name);
    };
    process.on("SIGTERM", handler);
    process.on("SIGINT", handler);
  });
}

async function serve(options: ServeOptions): Promise<void> {
  const write = (line: string): void => void process.stdout.write(line);
  if (!isLoopback(options.listen.host)) {
    process.stderr.write(`slipway serve: listening on ${options.listen.host} without TLS: tokens and passwords cross the network in clear; put a TLS proxy in front, or listen on 127.0.0.1\n`);
  }
  await using app: App = createApp({ env: process.env, identity: { pid: process.pid, hostname: hostname() }, buildLimit: options.buildLimit });
  // Open the store now: a bad database URL or a failing migration stops the server at once.
  await app.deps();
  const log = (msg: string, fields: Record<string, unknown> = {}): void => write(logLine({ msg, ...fields }));
  const worker: Worker | undefined = options.worker ? createWorker({ app, deadlineMs: options.deadline, maxRunning: options.maxDeployments, log, renew: () => renewCertificates(app, {}) }) : undefined;
  const shutdown = new AbortController();
  const server = await buildServer({ app, ...(worker ? { worker } : {}), shutdown: shutdown.signal, log: write, version: version(), webRoot: webRoot() });
  const stopped = stopSignal();
  await server.listen({ host: options.listen.host, port: options.listen.port });
  log("listening", { address: `http://${options.listen.host.includes(":") ? `[${options.listen.host}]` : options.listen.host}:${options.listen.port}`, store: app.env.SLIPWAY_DATABASE_URL ? "postgresql" : "sqlite", worker: worker !== undefined, buildLimit: options.buildLimit });
  await worker?.start();
  const signal = await stopped;
  log("stopping", { signal, running: worker?.running() ?? [] });
  shutdown.abort();
  await server.close();
  await worker?.stop(options.grace);
  // The notifications and commit statuses of the deployments that just ended, bounded: a receiver that is down does not hold the exit.
  if (!(await settleDeliveries(app, DELIVERIES_GRACE_MS))) log("stopped waiting for deliveries still retrying", { graceSeconds: DELIVERIES_GRACE_MS / 1000 });
  log("stopped");
}

export async function serveFromProcess(): Promise<void> {
  const program = serveCommand(serve).name("slipway serve").exitOverride();
  try {
    await program.parseAsync(process.argv.slice(3), { from: "user" });
    process.exitCode = 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("commander.")) {
      process.exitCode = code === "commander.helpDisplayed" || code === "commander.help" ? 0 : 2;
      return;
    }
    process.stderr.write(`slipway serve: ${error instanceof SlipwayError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    process.exitCode = error instanceof SlipwayError ? error.exitCode : 1;
  }
}
