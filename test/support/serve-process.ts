/**
 * `slipway serve` as a real child process (bin/slipway.js), on a free loopback port, for tests
 * that stop it the way an operator or a crash would: SIGTERM, or kill -9.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { BIN } from "./cli.js";
import { freePort } from "./hello-repo.js";

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Every line it wrote (stdout and stderr). */
  readonly lines: string[];
  /** The exit code, or 128 + the signal's number. */
  readonly exited: Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2 };

export async function startServe(options: { cwd: string; env: Record<string, string>; args?: readonly string[]; port?: number }): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [BIN, "serve", "--listen", `127.0.0.1:${port}`, ...(options.args ?? [])], { cwd: options.cwd, env: { ...process.env, CI: "true", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  const exited = new Promise<number>((resolve) => child.on("close", (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ""] ?? 0))));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) return { child, url, lines, exited };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`slipway serve did not answer on ${url}:\n${lines.join("\n")}`);
}
