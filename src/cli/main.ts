/**
 * The CLI's one entry point: argv in, text out, an exit code back. The only place that prints
 * errors; `runFromProcess` is the only place that touches `process`.
 */
import { readFileSync } from "node:fs";
import type { Command as CommanderCommand } from "commander";
import { ExitCodes, Redactor, SlipwayError, exitCodeFor } from "../app/errors.js";
import type { CommandContext } from "./context.js";
import type { Io } from "./io.js";
import { hostname } from "node:os";
import { withHint } from "./hints.js";

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 deployment failed (the previous release still serves), 2 bad input,
3 environment locked, 4 engine, compose or router unavailable.`;

export function renderError(error: unknown): string {
  if (error instanceof SlipwayError) {
    const details = error.details.map((line) => `  ${line}\n`).join("");
    return `slipway: ${withHint(error.message, error.hint)}\n${details}`;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `slipway: unexpected error, please report it with the command you ran:\n${message}\n`;
}

/** Everything printed passes the redactor, which learns the secret values as commands load them. */
function redacting(io: Io, redactor: Redactor): Io {
  return { ...io, stdout: (text) => io.stdout(redactor.apply(text)), stdoutRaw: io.stdout, stderr: (text) => io.stderr(redactor.apply(text)), stderrRaw: io.stderr };
}

async function buildProgram(io: Io, ctx: () => Promise<CommandContext>, setExit: (code: number) => void): Promise<CommanderCommand> {
  const [{ Command, Option }, { programParts }, { defineInspectCommands }, { defineDeployCommands }, { defineEnvironmentCommands }, { defineVariableCommands }, { defineOneOffCommands }, { defineAccessoryCommands }, { defineAccountCommands }, { defineProjectCommands }, { defineReportCommands }] = await Promise.all([
    import("commander"),
    import("./program/parts.js"),
    import("./program/inspect.js"),
    import("./program/deploy.js"),
    import("./program/environment.js"),
    import("./program/variables.js"),
    import("./program/one-off.js"),
    import("./program/accessories.js"),
    import("./program/accounts.js"),
    import("./program/projects.js"),
    import("./program/reports.js"),
  ]);
  const program = new Command("slipway")
    .description("Deploy Docker Compose projects to your own servers: Build, Release, Switch, with zero downtime.")
    .version(version(), "-v, --version")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .showSuggestionAfterError()
    .allowExcessArguments(false);
  const parts = programParts(Option, ctx, setExit);
  defineInspectCommands(program, parts);
  defineDeployCommands(program, parts);
  defineEnvironmentCommands(program, parts);
  defineVariableCommands(program, parts);
  defineOneOffCommands(program, parts);
  defineAccessoryCommands(program, parts);
  defineAccountCommands(program, parts);
  defineProjectCommands(program, parts);
  defineReportCommands(program, parts);
  return program;
}

/** Runs one CLI call. `argv` excludes the node binary and script path. */
export async function run(argv: readonly string[], rawIo: Io): Promise<number> {
  // The fastest path: `slipway --version` loads nothing else.
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    rawIo.stdout(`${version()}\n`);
    return ExitCodes.ok;
  }
  const redactor = new Redactor();
  const io = redacting(rawIo, redactor);
  let exitCode: number = ExitCodes.ok;
  let context: CommandContext | undefined;
  const ctx = async (): Promise<CommandContext> => {
    const { createContext } = await import("./context.js");
    context ??= createContext(io, redactor);
    return context;
  };
  try {
    const program = await buildProgram(io, ctx, (code) => (exitCode = code));
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return ExitCodes.ok;
    }
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    const commanderCode = (error as { code?: string }).code;
    if (typeof commanderCode === "string" && commanderCode.startsWith("commander.")) {
      // Commander already printed help, the version, or the usage error.
      return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(commanderCode) ? ExitCodes.ok : ExitCodes.badInput;
    }
    io.stderr(renderError(error));
    return exitCodeFor(error);
  } finally {
    await context?.app[Symbol.asyncDispose]();
  }
}

/**
 * SIGINT and SIGTERM abort the running operation: a deployment before its switch takes its new
 * release down and is recorded cancelled; after the switch it finishes. A second signal ends the
 * process at once.
 */
function abortOnSignals(): { signal: AbortSignal; remove(): void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(128 + (name === "SIGINT" ? 2 : 15));
    process.stderr.write(`\nslipway: ${name} received: stopping cleanly (send it again to exit at once)\n`);
    controller.abort(new SlipwayError("E_CANCELLED", `the deployment was cancelled (${name})`));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    remove: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function runFromProcess(): Promise<void> {
  // A reader that stops reading (`slipway releases | head`) ends the output, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const signals = abortOnSignals();
  const io: Io = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    handsOverStdio: true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}),
    identity: { pid: process.pid, hostname: hostname() },
    signal: signals.signal,
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } finally {
    signals.remove();
  }
}
