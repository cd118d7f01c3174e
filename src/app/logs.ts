/** Logs: a deployment's stored log, or the live release's containers' output as it comes. */
import { SlipwayError } from "../core/errors.js";
import { openSnapshot } from "../pipeline/release-snapshot.js";
import type { LogRow } from "../store/store.js";
import type { App } from "./app.js";
import { liveReleaseOf } from "./live-release.js";
import { openEnvironment, type ProjectRequest } from "./project.js";

export async function deploymentLog(app: App, request: ProjectRequest & { deployment: string; step?: string }): Promise<LogRow[]> {
  await openEnvironment(app, request, { variables: true });
  const { store } = await app.deps();
  const id = Number.parseInt(request.deployment, 10);
  const deployment = Number.isInteger(id) ? await store.deployment(id) : undefined;
  if (!deployment) throw new SlipwayError("E_NOT_FOUND", `no deployment ${request.deployment}`, { hint: { action: "list-releases" } });
  return (await store.logs(id)).filter((entry) => !request.step || entry.step === request.step);
}

export interface LiveLogsRequest extends ProjectRequest {
  readonly service?: string;
  readonly follow?: boolean;
  readonly onLine: (line: string, stream: "stdout" | "stderr") => void;
  readonly signal?: AbortSignal;
}

/** The live release's container output (compose logs), redacted of every secret it ran with. Returns compose's exit code. */
export async function liveLogs(app: App, request: LiveLogsRequest): Promise<number> {
  // The variables are read so that the redactor knows them: container output passes it.
  const env = await openEnvironment(app, request, { variables: true });
  const { compose } = await app.deps();
  const live = await liveReleaseOf(app, env);
  if (live.row.sealed !== undefined) app.redactor.add(openSnapshot(live.row, () => app.sealer({ create: false })).secrets);
  const { project } = live;
  const args = ["logs", "--no-color", ...(request.follow ? ["-f"] : []), ...(request.service ? [request.service] : [])];
  const result = await compose.exec(project, args, { onLine: (line, stream) => request.onLine(app.redactor.apply(line), stream), ...(request.signal ? { signal: request.signal } : {}) });
  return result.exitCode;
}
