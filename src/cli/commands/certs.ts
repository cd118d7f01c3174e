/** `slipway certs [list]` and `slipway certs renew [--force]`. */
import { certificates, renewCertificates, type CertsFilter } from "../../app/certs.js";
import type { CommandContext } from "../context.js";

export interface CertsFlags {
  readonly env?: string;
  readonly project?: string;
  readonly json?: boolean;
  readonly force?: boolean;
}

const filterOf = (flags: CertsFlags): CertsFilter => ({ ...(flags.env ? { environment: flags.env } : {}), ...(flags.project ? { project: flags.project } : {}) });

const day = (date: Date | undefined): string => (date ? date.toISOString().replace("T", " ").slice(0, 16) : "-");

export async function runCerts(ctx: CommandContext, flags: CertsFlags): Promise<number> {
  const list = await certificates(ctx.app, filterOf(flags));
  if (flags.json) {
    ctx.io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  if (list.length === 0) {
    ctx.io.stdout("no certificates: an environment with hosts: and acme: (or tls: { cert, key }) gets one at its next deploy\n");
    return 0;
  }
  const lines = list.map((c) => {
    const last = c.lastRenewal ? `${c.lastRenewal.ok ? "ok" : "FAILED"} ${day(new Date(c.lastRenewal.at))}${c.lastRenewal.ok ? "" : `: ${c.lastRenewal.message}`}` : "-";
    return [`${c.project}/${c.environment}: ${(c.served?.names ?? c.names).join(", ") || "(none issued)"}`, `  issuer ${c.served?.issuer ?? "(none served)"} (${c.source === "acme" ? `ACME ${c.directory ?? ""}` : "your files"}), expires ${day(c.served?.notAfter)}`, `  last renewal: ${last}`].join("\n");
  });
  ctx.io.stdout(`${lines.join("\n")}\n`);
  return 0;
}

export async function runCertsRenew(ctx: CommandContext, flags: CertsFlags): Promise<number> {
  const outcomes = await renewCertificates(ctx.app, { ...filterOf(flags), ...(flags.force ? { force: true } : {}) });
  if (flags.json) ctx.io.stdout(`${JSON.stringify(outcomes, null, 2)}\n`);
  else if (outcomes.length === 0) ctx.io.stdout("no ACME certificates to renew\n");
  else ctx.io.stdout(`${outcomes.map((o) => `${o.name}: ${o.action === "not-due" ? "not due" : o.action}: ${o.message}`).join("\n")}\n`);
  return outcomes.some((o) => o.action === "failed") ? 1 : 0;
}
