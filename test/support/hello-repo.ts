/**
 * A throwaway git repository holding the example app (examples/hello), with its own Slipway
 * home, router container and listen port, so a test deploys for real and cleans up after
 * itself: every object it creates carries its unique project name.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCommand } from "../../src/adapters/run-command.js";
import { slipway, type CliResult } from "./cli.js";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/hello");

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Whether a new TCP connection to 127.0.0.1:port is accepted. A fetch would not tell: it may
 * reuse a kept-alive connection to a process that no longer listens there (after a reload,
 * HAProxy's old worker answers a kept-alive connection's next request before closing it).
 */
export async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      ok(true);
    });
    socket.once("error", () => ok(false));
  });
}

async function git(dir: string, args: string[]): Promise<string> {
  const result = await runCommand("git", ["-C", dir, ...args]);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * A port free on every address, below the kernel's ephemeral range (32768 and up) and below
 * the range Slipway allocates containers' host ports from (20000-32767), for a router that a test
 * restarts under load: while nothing listens on a port in the ephemeral range, a client's
 * reconnect can be handed that very port as its source and connect to itself (a TCP
 * simultaneous open), and HAProxy then cannot bind it when it starts again.
 */
export async function freeListenPort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 10_000);
    const server = createServer();
    const bound = await new Promise<boolean>((ok) => {
      server.once("error", () => ok(false));
      server.listen(port, () => ok(true));
    });
    if (!bound) continue;
    await new Promise<void>((ok) => server.close(() => ok()));
    return port;
  }
}

export interface HelloRepo extends AsyncDisposable {
  readonly dir: string;
  readonly project: string;
  readonly port: number;
  readonly env: Record<string, string>;
  /** Writes files (path → content), commits them, returns the commit's 12-character tag. */
  commit(files: Record<string, string>, message: string): Promise<string>;
  slipway(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  get(path: string): Promise<{ status: number; body: string }>;
  /** Reads a file from one of the environment's named volumes. */
  readVolume(volume: string, file: string): Promise<string>;
}

export function slipwayYml(project: string, port: number, extra = ""): string {
  return [
    `project: ${project}`,
    "routes:",
    "  - service: frontend",
    "    port: 80",
    `    listen: ${port}`,
    "    healthcheck: { path: /frontend-healthz, interval: 500ms, timeout: 2s, passes: 2, deadline: 30s }",
    "drain: 1s",
    extra,
  ].join("\n");
}

export async function helloRepo(name: string, options: { readonly port?: number } = {}): Promise<HelloRepo> {
  const root = mkdtempSync(join(tmpdir(), "slipway-e2e-"));
  // The app sits in a subdirectory of its repository, like examples/hello in Slipway's own.
  const top = join(root, "repo");
  const dir = join(top, "apps", "hello");
  cpSync(EXAMPLE, dir, { recursive: true });
  const project = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  const port = options.port ?? (await freePort());
  writeFileSync(join(dir, "slipway.yml"), slipwayYml(project, port));
  await git(root, ["init", "-q", "-b", "main", top]);
  await git(dir, ["-c", "user.email=test@slipway.invalid", "-c", "user.name=test", "add", "-A"]);
  await git(dir, ["-c", "user.email=test@slipway.invalid", "-c", "user.name=test", "commit", "-q", "-m", "v1"]);
  const env = {
    SLIPWAY_HOME: join(root, "home"),
    SLIPWAY_ROUTER_NAME: `slipway-router-${project}`,
    SLIPWAY_ROUTER_IMAGE: "haproxy:2.6",
    SLIPWAY_ACTOR: "tester",
  };
  const run = (args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> => slipway(args, { cwd: dir, env: { ...env, ...extra }, timeoutMs: 300_000 });
  return {
    dir,
    project,
    port,
    env,
    async commit(files, message) {
      for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
      await git(dir, ["-c", "user.email=test@slipway.invalid", "-c", "user.name=test", "commit", "-q", "-am", message]);
      return (await git(dir, ["rev-parse", "HEAD"])).slice(0, 12);
    },
    slipway: run,
    async get(path) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: response.status, body: await response.text() };
    },
    async readVolume(volume, file) {
      const result = await runCommand("docker", ["run", "--rm", "--label", `slipway.project=${project}`, "-v", `${project}-production_${volume}:/v:ro`, "busybox", "cat", `/v/${file}`]);
      return result.stdout;
    },
    async [Symbol.asyncDispose]() {
      await run(["down", "--volumes"]);
      await runCommand("docker", ["rm", "-f", `slipway-router-${project}`]);
      // By name, and by label: a forced rebuild leaves the previous image untagged.
      const named = await runCommand("docker", ["images", "-q", "--filter", `reference=${project}/*`]);
      const labelled = await runCommand("docker", ["images", "-q", "--filter", `label=slipway.project=${project}`]);
      const ids = [...new Set(`${named.stdout}\n${labelled.stdout}`.split("\n").filter(Boolean))];
      if (ids.length > 0) await runCommand("docker", ["rmi", "-f", ...ids]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
