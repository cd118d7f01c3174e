/** `slipway plan`: the compose files a release and the accessories would run with. */
import { plan, toYaml, type ReleasePlan } from "../../app/inspect.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { redactData, SlipwayError } from "../../app/errors.js";
import { projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { parseFormat, renderData } from "../format.js";

export interface PlanFlags extends ProjectFlags {
  readonly release?: string;
  readonly format?: string;
  readonly out?: string;
}

function releaseId(flag: string | undefined): string {
  if (flag === undefined) return "v1";
  if (!/^v\d+$/.test(flag)) throw new SlipwayError("E_USAGE", `--release ${flag}: write a release number such as v3`);
  return flag;
}

function renderPlanYaml(plan: ReleasePlan): string {
  const header = `# slipway plan: ${plan.project}, environment ${plan.environment}, release ${plan.release}, images tagged ${plan.tag}\n`;
  const docs = (["release", "accessories", "build"] as const).map((kind) => {
    const file = plan.files[kind];
    return `# ${kind}: docker compose -p ${file.projectName} -f ${kind}.yml …\n${toYaml(file.content)}`;
  });
  return `${header}${docs.map((d) => `---\n${d}`).join("")}`;
}

export async function runPlan(ctx: CommandContext, flags: PlanFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const planned = await plan(ctx.app, { ...projectOf(ctx, flags), release: releaseId(flags.release) });
  if (flags.out) {
    const dir = resolve(ctx.io.cwd, flags.out);
    mkdirSync(dir, { recursive: true });
    for (const kind of ["release", "accessories", "build"] as const) {
      writeFileSync(join(dir, `${kind}.yml`), renderData(planned.plan.files[kind].content, "yaml"));
    }
    ctx.io.stderr(`wrote ${dir}/{release,accessories,build}.yml\n`);
  }
  const shown = redactData(planned.plan, (text) => ctx.app.redactor.apply(text));
  ctx.io.stdout(format === "json" ? renderData(shown, "json") : renderPlanYaml(shown));
  for (const warning of planned.warnings) ctx.io.stderr(`warning: ${warning}\n`);
  return 0;
}
