/**
 * Part of preflight: the image of every accessory about to start is on this machine, or is
 * pulled now. Compose pulls (it knows the user's registry logins); an image it cannot get stops
 * the deployment here, naming the image and the engine's answer, before anything starts.
 */
import { SlipwayError } from "../../core/errors.js";
import type { ComposeProject } from "../../adapters/compose-cli.js";
import { accessoriesProject, type DeployDeps, type DeployRun } from "../deploy-run.js";

type Json = Record<string, unknown>;

/** The ready images (no build:) of these accessories, by service. */
function readyImages(planned: Readonly<Record<string, Json>>, services: readonly string[]): Array<[string, string]> {
  return services.flatMap((name) => {
    const service = planned[name];
    return service && !service.build && typeof service.image === "string" ? [[name, service.image] as [string, string]] : [];
  });
}

/** Compose prints one line per service that failed: "db Error <the engine's answer>". */
export function pullErrors(output: string, services: readonly string[]): Map<string, string> {
  const errors = new Map<string, string>();
  for (const line of output.split("\n")) {
    const match = /(?:^|\s)(\S+)\s+Error\s+(.+)$/.exec(line.trim());
    if (match?.[1] && match[2] && services.includes(match[1])) errors.set(match[1], match[2].trim());
  }
  return errors;
}

export async function ensureAccessoryImages(run: DeployRun, services: readonly string[]): Promise<void> {
  const planned = (run.plan.files.accessories.content.services ?? {}) as Record<string, Json>;
  await pullAccessoryImages(run.deps, { project: accessoriesProject(run), planned, services, log: (line, stream) => run.log("preflight", stream, line) });
}

export interface AccessoryImages {
  /** The accessories' compose project, its planned file among its files. */
  readonly project: ComposeProject;
  /** The planned accessories file's services. */
  readonly planned: Readonly<Record<string, Json>>;
  /** The accessories about to start. */
  readonly services: readonly string[];
  readonly log: (line: string, stream: "stdout" | "stderr" | "info") => void;
}

export async function pullAccessoryImages(deps: Pick<DeployDeps, "engine" | "compose">, target: AccessoryImages): Promise<void> {
  const { engine, compose } = deps;
  const images = readyImages(target.planned, target.services);
  const present = await Promise.all(images.map(([, image]) => engine.image(image)));
  const missing = images.filter((_, i) => present[i] === undefined);
  if (missing.length === 0) return;
  target.log(`pulling ${missing.map(([, image]) => image).join(", ")}`, "info");
  const names = missing.map(([name]) => name);
  const result = await compose.exec(target.project, ["pull", ...names], { onLine: (line, stream) => target.log(line, stream) });
  // Some may have come even if others did not: ask the engine, not the exit code.
  const after = await Promise.all(missing.map(([, image]) => engine.image(image)));
  const failed = missing.filter((_, i) => after[i] === undefined);
  if (failed.length === 0) return;
  const answers = pullErrors(`${result.stdout}\n${result.stderr}`, names);
  const fallback = result.stderr.trim().split("\n").pop() ?? `docker compose pull exited ${result.exitCode}`;
  const lines = failed.map(([name, image]) => `accessory ${name}: image ${image} is not on this machine and could not be pulled: ${answers.get(name) ?? fallback}`);
  const [first = "", ...rest] = lines;
  throw new SlipwayError("E_IMAGE_UNAVAILABLE", `${first}${rest.length > 0 ? ` (and ${rest.length} more)` : ""}. Load or build it on this machine, log in to its registry, or fix image: in the compose file`, {
    details: rest,
  });
}
