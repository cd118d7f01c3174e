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
  return { ...io, stdout: (text) => io.stdout(redactor.apply(text)), stdoutRaw: io.stdout, stderr: (text) => io.stderr(redactor.apply(text)) };
}

async function buildProgram(io: Io, ctx: () => Promise<CommandContext>, setExit: (code: number) => void): Promise<CommanderCommand> {
  const { Command, Option } = await import("commander");
  const program = new Command("slipway")
    .description("Deploy Docker Compose projects to your own servers: Build, Release, Switch, with zero downtime.")
    .version(version(), "-v, --version")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .showSuggestionAfterError()
    .allowExcessArguments(false);
  const envOption = () => new Option("-e, --env <name>", "environment (default: the one slipway.yml marks default, else production)");
  const dirOption = () => new Option("-C, --dir <path>", "project directory (default: the current directory)");
  // `logs -f` follows, as in docker and compose: there the file option is --file only.
  const fileOption = (flags = "-f, --file <path>") =>
    new Option(flags, "a compose file, relative to the project directory; repeat for several, in merge order (default: slipway.yml's compose:, else COMPOSE_FILE, else inferred)").argParser(
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    );
  const profileOption = () =>
    new Option("--profile <name>", "a compose profile to enable; repeat for several (default: slipway.yml's profiles:, else COMPOSE_PROFILES, else every service)").argParser(
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    );
  const formatOption = () => new Option("--format <format>", "output format").choices(["yaml", "json"]).default("yaml");

  program
    .command("check")
    .description("preflight: report every problem at once (variables, slipway.yml, compose, engine)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runCheck } = await import("./commands/check.js");
      setExit(await runCheck(await ctx(), flags));
    });

  program
    .command("config")
    .description("print the resolved compose model and how Slipway classified each service")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .addOption(formatOption())
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; format?: string }) => {
      const { runConfig } = await import("./commands/config.js");
      setExit(await runConfig(await ctx(), flags));
    });

  program
    .command("plan")
    .description("print the compose files a release and the environment's accessories would run with")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("-r, --release <vN>", "release to plan (default: v1)")
    .option("-o, --out <dir>", "also write release.yml, accessories.yml and build.yml into this directory")
    .addOption(formatOption())
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; release?: string; out?: string; format?: string }) => {
      const { runPlan } = await import("./commands/plan.js");
      setExit(await runPlan(await ctx(), flags));
    });

  program
    .command("init")
    .description("write a commented slipway.yml inferred from the compose files")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--force", "replace an existing slipway.yml")
    .option("--stdout", "print the file instead of writing it")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; force?: boolean; stdout?: boolean }) => {
      const { runInit } = await import("./commands/init.js");
      setExit(await runInit(await ctx(), flags));
    });

  program
    .command("deploy")
    .description("build, release and switch to a new release of the environment, with zero downtime")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--ref <ref>", "commit, branch or tag to deploy (default: the environment's branch, else HEAD)")
    .option("--no-cache", "build without Docker's layer cache")
    .option("--cache", "build with Docker's layer cache (the default)")
    .option("--allow-dirty", "deploy uncommitted changes (the build is tagged -dirty)")
    .addOption(new Option("--build-mode <mode>", "auto: re-use a build of the same commit from any environment; reuse: fail without one; force: always build, without cache").choices(["auto", "reuse", "force"]).default("auto"))
    .option("--no-wait", "exit 3 at once when another deployment holds the environment")
    .option("--json", "print one JSON event per line")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; ref?: string; cache?: boolean; allowDirty?: boolean; buildMode?: string; wait?: boolean; json?: boolean }) => {
      const { runDeploy } = await import("./commands/deploy.js");
      setExit(await runDeploy(await ctx(), flags));
    });

  program
    .command("promote")
    .description("deploy to <to-env> the build <from-env> runs now, with <to-env>'s own variables, accessories and routes: never a rebuild")
    .argument("<from-env>", "the environment whose live build is promoted, such as test")
    .argument("<to-env>", "the environment it goes to, such as live")
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--no-wait", "exit 3 at once when another deployment holds the environment")
    .option("--json", "print one JSON event per line")
    .action(async (from: string, to: string, flags: { dir?: string; file?: string[]; profile?: string[]; wait?: boolean; json?: boolean }) => {
      const { runPromote } = await import("./commands/deploy.js");
      setExit(await runPromote(await ctx(), { ...flags, from, to }));
    });

  program
    .command("rollback")
    .description("make an earlier release live again (default: the one before the live one), without rebuilding")
    .argument("[release]", "the release to return to, such as v5")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--with-release", "also run the release task of that release (it is skipped by default)")
    .option("--current-vars", "run it with the environment's current variables instead of those it ran with")
    .option("--no-wait", "exit 3 at once when another deployment holds the environment")
    .option("--json", "print one JSON event per line")
    .action(async (target: string | undefined, flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; withRelease?: boolean; currentVars?: boolean; wait?: boolean; json?: boolean }) => {
      const { runRollback } = await import("./commands/deploy.js");
      setExit(await runRollback(await ctx(), { ...flags, ...(target ? { target } : {}) }));
    });

  program
    .command("status")
    .description("the live release, its containers and health, the router's route, any drift or interrupted deployment (exit 1 when it reports a problem)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; json?: boolean }) => {
      const { runStatus } = await import("./commands/status.js");
      setExit(await runStatus(await ctx(), flags));
    });

  program
    .command("releases")
    .description("the environment's release history")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; json?: boolean }) => {
      const { runReleases } = await import("./commands/releases.js");
      setExit(await runReleases(await ctx(), flags));
    });

  program
    .command("logs")
    .description("the live release's container logs, or a deployment's stored log")
    .argument("[service]", "only this service")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption("--file <path>"))
    .addOption(profileOption())
    .option("-f, --follow", "keep printing new lines")
    .option("--deployment <n>", "the stored log of deployment N (see slipway releases)")
    .action(async (service: string | undefined, flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; follow?: boolean; deployment?: string }) => {
      const { runLogs } = await import("./commands/logs.js");
      setExit(await runLogs(await ctx(), { ...flags, ...(service ? { service } : {}) }));
    });

  program
    .command("prune")
    .description("remove the project's images, stopped releases and build directories that retention no longer keeps")
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--dry-run", "only list what would go")
    .option("--json", "print JSON")
    .action(async (flags: { dir?: string; file?: string[]; profile?: string[]; dryRun?: boolean; json?: boolean }) => {
      const { runPrune } = await import("./commands/prune.js");
      setExit(await runPrune(await ctx(), flags));
    });

  const env = program.command("env").description("the environment's variables in Slipway's encrypted store (values reach containers at the next deploy)");
  env
    .command("list")
    .description("the environment's variables, masked unless --reveal")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--reveal", "print the values in clear")
    .option("--json", "print JSON")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; reveal?: boolean; json?: boolean }) => {
      const { runEnvList } = await import("./commands/env.js");
      setExit(await runEnvList(await ctx(), flags));
    });
  env
    .command("set")
    .description("set variables: KEY=VALUE, KEY=@file (the file's content) or KEY=- (standard input)")
    .argument("<assignments...>", "KEY=VALUE, KEY=@file or KEY=-")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (assignments: string[], flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runEnvSet } = await import("./commands/env.js");
      setExit(await runEnvSet(await ctx(), assignments, flags));
    });
  env
    .command("unset")
    .description("remove variables")
    .argument("<names...>", "variable names")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (names: string[], flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runEnvUnset } = await import("./commands/env.js");
      setExit(await runEnvUnset(await ctx(), names, flags));
    });
  env
    .command("import")
    .description("set every variable of a dotenv file (- for standard input)")
    .argument("<file>", "a dotenv file")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .action(async (file: string, flags: { env?: string; dir?: string; file?: string[]; profile?: string[] }) => {
      const { runEnvImport } = await import("./commands/env.js");
      setExit(await runEnvImport(await ctx(), file, flags));
    });
  env
    .command("export")
    .description("print every variable as a dotenv file (for a backup; needs --reveal)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--reveal", "agree to print the values in clear")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; reveal?: boolean }) => {
      const { runEnvExport } = await import("./commands/env.js");
      setExit(await runEnvExport(await ctx(), flags));
    });
  env
    .command("rotate-key")
    .description("re-encrypt every stored value under a new master key")
    .action(async () => {
      const { runEnvRotateKey } = await import("./commands/env.js");
      setExit(await runEnvRotateKey(await ctx()));
    });
  env
    .command("generate-key")
    .description("print a new random master key (for SLIPWAY_MASTER_KEY)")
    .action(async () => {
      const { runEnvGenerateKey } = await import("./commands/env.js");
      setExit(runEnvGenerateKey(await ctx()));
    });

  program
    .command("unlock")
    .description("break the environment's deploy lock, after saying who holds it (a lock whose holder died is taken over on its own)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("-y, --yes", "break it without asking")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; yes?: boolean }) => {
      const { runUnlock } = await import("./commands/unlock.js");
      setExit(await runUnlock(await ctx(), flags));
    });

  program
    .command("down")
    .description("remove the environment's releases, accessories and route (named volumes only with --volumes)")
    .addOption(envOption())
    .addOption(dirOption())
    .addOption(fileOption())
    .addOption(profileOption())
    .option("--volumes", "also remove the environment's named volumes (its data)")
    .action(async (flags: { env?: string; dir?: string; file?: string[]; profile?: string[]; volumes?: boolean }) => {
      const { runDown } = await import("./commands/down.js");
      setExit(await runDown(await ctx(), flags));
    });

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
  const signals = abortOnSignals();
  const io: Io = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
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
