/** `slipway accessories` and its up, restart and logs: flags to requests, reports to text or JSON. */
import { accessories, type AccessoriesReport, type AccessoryStatus } from "../../app/accessories.js";
import { accessoryLogs, recreateAccessory, restartAccessory } from "../../app/accessory-control.js";
import { SlipwayError } from "../../app/errors.js";
import { actorOf, projectOf, type CommandContext, type ProjectFlags } from "../context.js";
import { table } from "../render.js";

function stateOf(a: AccessoryStatus): string {
  if (!a.container) return "absent (a deploy starts it)";
  return `${a.container.state}${a.container.health && a.container.state === "running" ? ` (${a.container.health})` : ""}`;
}

export function renderAccessories(report: AccessoriesReport): string {
  const head = `${report.project}, environment ${report.environment}\n`;
  if (report.accessories.length === 0) return `${head}no accessories\n`;
  const rows = report.accessories.map((a) => [a.name, a.image, stateOf(a), a.drift.length ? "yes" : "none"]);
  const drift = report.accessories.flatMap((a) => a.drift.map((line) => `  ${a.name}: ${line}`));
  const hint = drift.length ? `drift: a deploy never recreates an accessory; slipway accessories up NAME does\n${drift.join("\n")}\n` : "";
  return `${head}${table([["NAME", "IMAGE", "STATE", "DRIFT"], ...rows])}${hint}`;
}

export async function runAccessories(ctx: CommandContext, flags: ProjectFlags & { json?: boolean }): Promise<number> {
  const report = await accessories(ctx.app, projectOf(ctx, flags));
  ctx.io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderAccessories(report));
  return 0;
}

function question(a: AccessoryStatus): string {
  const what = a.container ? `recreate ${a.name} (${a.container.name}, ${stateOf(a)})` : `create ${a.name}`;
  return `${what} from the compose files? Its named volumes are kept; whatever uses it loses its connections meanwhile [y/N] `;
}

export async function runAccessoryUp(ctx: CommandContext, flags: ProjectFlags & { name: string; yes?: boolean }): Promise<number> {
  const after = await recreateAccessory(ctx.app, {
    ...projectOf(ctx, flags),
    name: flags.name,
    actor: actorOf(ctx),
    onWait: (holder) => ctx.io.stderr(`waiting: the environment is locked by ${holder}\n`),
    say: (text) => ctx.io.stderr(`${text}\n`),
    confirm: async (a) => {
      ctx.io.stderr(a.drift.length ? `${a.name} differs from the compose files:\n${a.drift.map((d) => `  ${d}\n`).join("")}` : `${a.name} matches the compose files\n`);
      if (flags.yes) return true;
      if (!ctx.io.confirm) throw new SlipwayError("E_USAGE", `recreating ${a.name} needs a yes`, { hint: { action: "confirm-with-yes", command: `accessories up ${a.name}` } });
      return ctx.io.confirm(question(a));
    },
  });
  ctx.io.stdout(`${after.name} recreated: ${stateOf(after)}${after.drift.length ? `; still differs: ${after.drift.join("; ")}` : ", as the compose files say"}\n`);
  return 0;
}

export async function runAccessoryRestart(ctx: CommandContext, flags: ProjectFlags & { name: string }): Promise<number> {
  await restartAccessory(ctx.app, { ...projectOf(ctx, flags), name: flags.name, actor: actorOf(ctx), onWait: (holder) => ctx.io.stderr(`waiting: the environment is locked by ${holder}\n`) });
  ctx.io.stdout(`${flags.name} restarted\n`);
  return 0;
}

export async function runAccessoryLogs(ctx: CommandContext, flags: ProjectFlags & { name: string; follow?: boolean }): Promise<number> {
  await accessoryLogs(ctx.app, {
    ...projectOf(ctx, flags),
    name: flags.name,
    follow: flags.follow ?? false,
    onLine: (line, stream) => (stream === "stdout" ? ctx.io.stdout : ctx.io.stderr)(`${line}\n`),
    ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
  });
  return 0;
}
