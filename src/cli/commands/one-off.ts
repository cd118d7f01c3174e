/** `slipway run` and `slipway exec`: the person's command gets the terminal; its exit code is the CLI's. */
import { execOneOff, runOneOff, type OneOffStdio } from "../../app/one-off.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";

export interface OneOffFlags extends ProjectFlags {
  readonly verb: "run" | "exec";
  readonly service: string;
  readonly command: readonly string[];
}

/**
 * Handed over whenever this process can: the command's output is the person's own, bytes as they
 * are (a dump piped to a file, a prompt), and so is its input. A terminal in the container only
 * when both ends are one: `slipway exec db pg_dump > dump.sql` typed at a terminal must not get
 * a terminal's line endings.
 */
function stdioOf(ctx: CommandContext): OneOffStdio {
  const { io } = ctx;
  if (io.handsOverStdio) return { mode: "inherit", tty: io.stdinIsTTY && io.stdoutIsTTY };
  return {
    mode: "lines",
    onLine: (line, stream) => (stream === "stdout" ? (io.stdoutRaw ?? io.stdout) : (io.stderrRaw ?? io.stderr))(`${line}\n`),
    ...(io.signal ? { signal: io.signal } : {}),
  };
}

export async function runOneOffCommand(ctx: CommandContext, flags: OneOffFlags): Promise<number> {
  // `SERVICE -- CMD…`: the separator only says where the command starts.
  const command = flags.command[0] === "--" ? flags.command.slice(1) : flags.command;
  const request = { ...projectOf(ctx, flags), service: flags.service, command, stdio: stdioOf(ctx) };
  return flags.verb === "run" ? runOneOff(ctx.app, request) : execOneOff(ctx.app, request);
}
