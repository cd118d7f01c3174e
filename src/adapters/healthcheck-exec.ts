/**
 * Runs a container's own HEALTHCHECK command once, through the engine's exec API, and says
 * whether it passed. Docker's health status is not enough for a deploy: it is updated only
 * every `interval` (30 s by default), it starts over at "starting" after a restart, and a
 * frozen container keeps the status it had when it was paused. Running the same command
 * ourselves gives an answer now, judged as Docker would judge it (exit code 0 passes).
 */
import type Docker from "dockerode";

/** The argv Docker runs for a HEALTHCHECK test; undefined for NONE or no test at all. */
export function healthcheckArgv(test: readonly string[] | undefined, shell: readonly string[] | undefined): string[] | undefined {
  const [kind, ...rest] = test ?? [];
  if (kind === "CMD" && rest.length > 0) return rest;
  // CMD-SHELL runs its one string through the image's SHELL, /bin/sh -c unless it sets one.
  if (kind === "CMD-SHELL" && rest[0] !== undefined) return [...(shell && shell.length > 0 ? shell : ["/bin/sh", "-c"]), rest[0]];
  return undefined;
}

/** undefined when the check passed, else why not (its last output line, or the timeout). */
export async function runHealthcheck(api: Docker, id: string, timeoutMs: number): Promise<string | undefined> {
  const container = api.getContainer(id);
  const info = await container.inspect();
  if (info.State.Status !== "running") return `the container is ${info.State.Status}`;
  const argv = healthcheckArgv(info.Config.Healthcheck?.Test, (info.Config as { Shell?: string[] }).Shell);
  if (!argv) return "the image has no HEALTHCHECK";
  const exec = await container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = "";
  stream.on("data", (chunk: Buffer) => (output = (output + chunk.toString("latin1")).slice(-2000)));
  const ended = new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", () => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    if ((await Promise.race([ended, timedOut])) === "timeout") {
      stream.destroy();
      return `the HEALTHCHECK command took longer than ${timeoutMs} ms`;
    }
  } finally {
    clearTimeout(timer);
  }
  // The stream can end a moment before the engine records the exit code.
  let state = await exec.inspect();
  for (let i = 0; state.Running && i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    state = await exec.inspect();
  }
  const code = state.ExitCode;
  if (code === 0) return undefined;
  // Exec output comes multiplexed (8-byte frame headers): keep the printable tail only.
  const last = output.replace(/[^\x20-\x7e\n]+/g, "").trim().split("\n").pop()?.trim();
  return `the HEALTHCHECK command exited ${code ?? "?"}${last ? ` (${last})` : ""}`;
}
