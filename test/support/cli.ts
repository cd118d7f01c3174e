/** Runs the real `slipway` entry point (bin/slipway.js) as a child process. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCommand } from "../../src/adapters/run-command.js";

export const BIN = resolve(import.meta.dirname, "../../bin/slipway.js");

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

let home: string | undefined;

/**
 * A home of this test process's own, for calls that name none: never the user's ~/.slipway,
 * whose store another checkout's Slipway may have migrated further.
 */
function throwawayHome(): string {
  if (home === undefined) {
    const created = mkdtempSync(join(tmpdir(), "slipway-cli-home-"));
    process.once("exit", () => rmSync(created, { recursive: true, force: true }));
    home = join(created, "home");
  }
  return home;
}

export async function slipway(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, CI: "true", ...options.env };
  if (options.env?.SLIPWAY_HOME === undefined) env.SLIPWAY_HOME = throwawayHome();
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return runCommand(process.execPath, [BIN, ...args], { cwd: options.cwd, env, timeoutMs: options.timeoutMs ?? 60_000 });
}
