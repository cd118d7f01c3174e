/** Init: a commented slipway.yml inferred from the compose files alone. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readSlipwayConfig } from "../config/read-slipway-config.js";
import { SlipwayError } from "../core/errors.js";
import { CONFIG_FILE, loadProject } from "../project/load-project.js";
import { problemsError } from "../project/problem.js";
import { inferSlipwayYml } from "../project/infer-slipway-yml.js";
import { composeTarget, readModel } from "../project/resolve-project.js";
import type { App } from "./app.js";
import { projectOptions, type ProjectRequest } from "./project.js";

export interface InitOutcome {
  /** Where it belongs: `<dir>/slipway.yml`. */
  readonly path: string;
  readonly text: string;
}

/** Refuses to replace an existing file unless `force`; writes nothing itself. */
export async function inferConfig(app: App, request: ProjectRequest & { force?: boolean }): Promise<InitOutcome> {
  const path = join(request.dir, CONFIG_FILE);
  if (existsSync(path) && !request.force) {
    throw new SlipwayError("E_EXISTS", `${CONFIG_FILE} already exists in ${request.dir}: edit it, or replace it`, { hint: { action: "replace-config" } });
  }
  // Inference must not depend on an existing slipway.yml: start from the compose files alone.
  const loaded = await loadProject({ dir: request.dir, processEnv: app.env, ignoreConfig: true, ...projectOptions(request) }, { git: app.git });
  const blocking = loaded.problems.filter((p) => p.code !== "E_VARIABLES_MISSING");
  if (blocking.length > 0 || !loaded.project) throw problemsError(blocking);
  const project = loaded.project;
  // Values do not change what a service is: unset variables get a placeholder for this read.
  const placeholders = Object.fromEntries(loaded.missingVariables.map((name) => [name, "slipway-init"]));
  const model = await readModel(app.compose, composeTarget(project, placeholders), project.config);
  const text = inferSlipwayYml(project, model);
  const checked = readSlipwayConfig(CONFIG_FILE, text);
  if (!checked.ok) throw new SlipwayError("E_INTERNAL", `init produced an invalid file: ${checked.problems.map((p) => p.message).join("; ")}`);
  return { path, text };
}
