/**
 * Part of preflight: the image of every accessory about to start is on this machine, or is
 * pulled now. Compose pulls (it knows the user's registry logins); an image it cannot get stops
 * the deployment here, naming the image and the engine's answer, before anything starts.
 */
import { SlipwayError } from "../../core/errors.js";
import { accessoriesProject, type DeployRun } from "../deploy-run.js";

type Json = Record<string, unknown>;

/** The ready images (no build:) of these accessories, by service. */
function readyImages(run: DeployRun, services: readonly string[]): Array<[string, string]> {
  const planned = (run.plan.files.accessories.content.services ?? {}) as Record<string, Json>;
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
  const { engine, compose } = run.deps;
  const images = readyImages(run, services);
  const present = await Promise.all(images.map(([, image]) => engine.image(image)));
  const missing = images.filter((_, i) => present[i] === undefined);
  if (missing.length === 0) return;
  run.log("preflight", "info", `pulling ${missing.map(([, image]) => image).join(", ")}`);
  const names = missing.map(([name]) => name);
  const result = await compose.exec(accessoriesProject(run), ["pull", ...names], { onLine: (line, stream) => run.log("preflight", stream, line) });
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
