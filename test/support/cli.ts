/** Runs the real `slipway` entry point (bin/slipway.js) as a child process. */
import { resolve } from "node:path";
import { runCommand } from "../../src/adapters/run-command.js";

export const BIN = resolve(import.meta.dirname, "../../bin/slipway.js");

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function slipway(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, CI: "true", ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return runCommand(process.execPath, [BIN, ...args], { cwd: options.cwd, env, timeoutMs: options.timeoutMs ?? 60_000 });
}
