/** `slipway init`: writes a commented slipway.yml inferred from the compose files. Never prompts. */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSlipwayConfig } from "../../config/read-slipway-config.js";
import { SlipwayError } from "../../core/errors.js";
import { CONFIG_FILE, loadProject } from "../../project/load-project.js";
import { problemsError } from "../../project/problem.js";
import { inferSlipwayYml } from "../../project/infer-slipway-yml.js";
import { composeTarget, readModel } from "../../project/resolve-project.js";
import type { CommandContext } from "../context.js";
import { projectOptions, type ProjectFlags } from "./load.js";

export async function runInit(ctx: CommandContext, flags: ProjectFlags & { force?: boolean; stdout?: boolean }): Promise<number> {
  const dir = flags.dir ?? ctx.io.cwd;
  const target = join(dir, CONFIG_FILE);
  if (existsSync(target) && !flags.force && !flags.stdout) {
    throw new SlipwayError("E_EXISTS", `${CONFIG_FILE} already exists in ${dir}: edit it, or run slipway init --force to replace it`);
  }
  // Inference must not depend on an existing slipway.yml: start from the compose files alone.
  const loaded = await loadProject({ dir, processEnv: ctx.io.env, ignoreConfig: true, ...projectOptions(flags) }, { git: ctx.git });
  const blocking = loaded.problems.filter((p) => p.code !== "E_VARIABLES_MISSING");
  if (blocking.length > 0 || !loaded.project) throw problemsError(blocking);
  const project = loaded.project;
  // Values do not change what a service is: unset variables get a placeholder for this read.
  const placeholders = Object.fromEntries(loaded.missingVariables.map((name) => [name, "slipway-init"]));
  const model = await readModel(ctx.compose, composeTarget(project, placeholders), project.config);
  const text = inferSlipwayYml(project, model);
  const check = readSlipwayConfig(CONFIG_FILE, text);
  if (!check.ok) throw new SlipwayError("E_INTERNAL", `slipway init produced an invalid file: ${check.problems.map((p) => p.message).join("; ")}`);
  if (flags.stdout) {
    ctx.io.stdout(text);
    return 0;
  }
  writeFileSync(target, text);
  ctx.io.stdout(`wrote ${target}; run slipway check to validate the project\n`);
  return 0;
}
