/** `slipway config`: the resolved compose model, plus how Slipway classified each service. */
import type { ResolvedProject } from "../../project/resolve-project.js";
import { redactData } from "../../secrets/redact.js";
import type { CommandContext } from "../context.js";
import { parseFormat, renderData } from "../format.js";
import { resolveOrThrow, type ProjectFlags } from "./load.js";

export function configView(resolved: ResolvedProject): Record<string, unknown> {
  const { project, classification, model } = resolved;
  const services = Object.fromEntries(
    classification.services.map((s) => {
      const routes = classification.routes
        .filter((r) => r.service === s.name)
        .map((r) => ({ port: r.port, ...(r.listen ? { listen: r.listen } : {}), hosts: r.hosts, readiness: r.readiness }));
      return [s.name, { role: s.role, reason: s.reason, ...(routes.length > 0 ? { routes } : {}), stop_first: s.stopFirst, ...(s.buildOf ? { image_of: s.buildOf } : {}) }];
    }),
  );
  return {
    project: project.name,
    environment: project.environment.name,
    compose_files: project.composeFiles,
    tag: project.tag,
    slipway: { services, ...(classification.releaseTask ? { release_task: classification.releaseTask } : {}), warnings: resolved.lint.warnings },
    compose: model,
  };
}

export async function runConfig(ctx: CommandContext, flags: ProjectFlags & { format?: string }): Promise<number> {
  const format = parseFormat(flags.format);
  const resolved = await resolveOrThrow(ctx, flags);
  // Redacted as data, before YAML or JSON quotes a value into a form the printed text would not match.
  ctx.io.stdout(renderData(redactData(configView(resolved), (text) => ctx.redactor.apply(text)), format));
  return 0;
}
