/**
 * One-off commands against the live release. `run` starts a fresh container from the live
 * release's image of a service, in the release's own compose project (its volumes, its network
 * to the accessories) with the variables the release runs with, and removes it when it exits;
 * `exec` runs in a running container of the live release, or of an accessory. Their output is the
 * person's own command's: handed over as it is, never stored. The result is its exit code.
 */
import type { ComposeProject, ExecOptions } from "../adapters/compose-cli.js";
import { SlipwayError } from "../core/errors.js";
import { LABEL } from "../plan/naming.js";
import { oneOffArgs, oneOffRole } from "../plan/one-off.js";
import { serviceVariables } from "../plan/runtime-variables.js";
import { openSnapshot } from "../pipeline/release-snapshot.js";
import type { App } from "./app.js";
import { liveReleaseOf, withPlannedFile, type LiveRelease } from "./live-release.js";
import { openEnvironment, type OpenEnvironment, type ProjectRequest } from "./project.js";

/**
 * How the command's streams are wired. `inherit`: compose gets the caller's own standard
 * streams (a terminal, a pipe, a file: bytes as they are, stdin included), with a terminal in
 * the container when `tty`. `lines`: its output comes back line by line (a shell that has no
 * streams to hand over, such as a server), without stdin.
 */
export type OneOffStdio =
  | { readonly mode: "inherit"; readonly tty: boolean }
  | { readonly mode: "lines"; readonly onLine: (line: string, stream: "stdout" | "stderr") => void; readonly signal?: AbortSignal };

export interface OneOffRequest extends ProjectRequest {
  readonly service: string;
  /** The command and its arguments, word for word; none runs the service's own command. */
  readonly command: readonly string[];
  readonly stdio: OneOffStdio;
}

function classificationOf(live: LiveRelease): NonNullable<LiveRelease["snapshot"]>["classification"] {
  if (!live.snapshot) throw new SlipwayError("E_NOT_FOUND", `${live.name} keeps no configuration snapshot, so its services are unknown: deploy again first`);
  return live.snapshot.classification;
}

async function execute(app: App, project: ComposeProject, args: readonly string[], stdio: OneOffStdio, env: Readonly<Record<string, string>> = {}): Promise<number> {
  // Handed over, compose answers the terminal's own signals (Ctrl-C reaches the container); no
  // abort of ours cuts it short.
  const options: ExecOptions = stdio.mode === "inherit" ? { inheritStdio: true, env } : { onLine: stdio.onLine, env, ...(stdio.signal ? { signal: stdio.signal } : {}) };
  return (await app.compose.exec(project, args, options)).exitCode;
}

export async function runOneOff(app: App, request: OneOffRequest): Promise<number> {
  const env = await openEnvironment(app, request);
  const live = await liveReleaseOf(app, env);
  oneOffRole(classificationOf(live), request.service, "run", live.name);
  // The variables its containers got are in the release's sealed snapshot only (their env files
  // went once it started): given to compose's environment and named with -e, never on disk.
  const { snapshot, secrets } = openSnapshot(live.row, () => app.sealer({ create: false }));
  app.redactor.add(secrets);
  const variables = serviceVariables(snapshot.model.services[request.service]?.environment);
  const tty = request.stdio.mode === "inherit" && request.stdio.tty;
  const args = oneOffArgs({ verb: "run", service: request.service, command: request.command, tty, variables: Object.keys(variables).sort() });
  return execute(app, withPlannedFile(live.project, live.name), args, request.stdio, variables);
}

/** The release's (or the accessories') running container the command goes to, or E_NOT_FOUND. */
async function assertRunning(app: App, env: OpenEnvironment, release: string, service: string): Promise<void> {
  const labels = { [LABEL.project]: env.project.name, [LABEL.environment]: env.project.environment.name, [LABEL.release]: release, [LABEL.service]: service };
  const running = (await app.engine.containers(labels)).filter((c) => c.status === "running" && c.labels[LABEL.oneOff] === undefined);
  if (running.length === 0) throw new SlipwayError("E_NOT_FOUND", `no container of ${service} runs in ${release === "accessories" ? "the accessories" : release}: see slipway status`);
}

export async function execOneOff(app: App, request: OneOffRequest): Promise<number> {
  const env = await openEnvironment(app, request);
  const live = await liveReleaseOf(app, env);
  const role = oneOffRole(classificationOf(live), request.service, "exec", live.name);
  const accessory = role === "accessory";
  await assertRunning(app, env, accessory ? "accessories" : live.runsAs, request.service);
  const tty = request.stdio.mode === "inherit" && request.stdio.tty;
  const args = oneOffArgs({ verb: "exec", service: request.service, command: request.command, tty });
  return execute(app, withPlannedFile(accessory ? live.accessories : live.project, live.name), args, request.stdio);
}
