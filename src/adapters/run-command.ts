/**
 * Runs a program with an argument array (never a shell string) and collects its output.
 * Written on node:child_process rather than execa because execa's import alone costs about
 * 100 ms per CLI call (measured here), most of the time budget `slipway plan` has over
 * `docker compose config`; we need only spawn, collect, and stream lines.
 */
import { spawn } from "node:child_process";

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The program ran out of `timeoutMs` and was killed. */
  readonly timedOut?: boolean;
}

export interface RunOptions {
  readonly cwd?: string;
  /** The whole environment of the child (callers merge with process.env themselves). */
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Called with each complete line of output as it arrives. */
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
  readonly signal?: AbortSignal;
  /**
   * The child gets this process's own standard streams, as they are (a terminal, a pipe, a
   * file): nothing is collected, and `input` and `onLine` do not apply. For a person's one-off
   * command, whose output is theirs.
   */
  readonly inheritStdio?: boolean;
}

export class CommandNotFoundError extends Error {
  constructor(readonly command: string, options: { cause: unknown }) {
    super(`${command}: not found on PATH`, options);
    this.name = "CommandNotFoundError";
  }
}

export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.inheritStdio ? "inherit" : [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Our own timer rather than spawn's `timeout`, whose timer outlives a program that never
    // started (ENOENT) and keeps the process alive until it fires.
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, options.timeoutMs)
      : undefined;
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const partial = { stdout: "", stderr: "" };
    for (const stream of ["stdout", "stderr"] as const) {
      child[stream]?.on("data", (chunk: Buffer) => {
        chunks[stream].push(chunk);
        if (!options.onLine) return;
        const text = partial[stream] + chunk.toString("utf8");
        const lines = text.split("\n");
        partial[stream] = lines.pop() ?? "";
        for (const line of lines) options.onLine(line.replace(/\r$/, ""), stream);
      });
    }
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === "ENOENT" ? new CommandNotFoundError(command, { cause: error }) : error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      for (const stream of ["stdout", "stderr"] as const) {
        if (options.onLine && partial[stream]) options.onLine(partial[stream], stream);
      }
      resolve({
        exitCode: code ?? (signal ? 128 + 9 : 1),
        stdout: Buffer.concat(chunks.stdout).toString("utf8"),
        stderr: Buffer.concat(chunks.stderr).toString("utf8"),
        ...(timedOut ? { timedOut } : {}),
      });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
