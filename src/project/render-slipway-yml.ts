/**
 * Writes a commented slipway.yml that states what Slipway inferred from the compose files,
 * so a user can read and change each decision. Pure: text out.
 */
import type { Classification } from "../plan/classify.js";

const SCHEDULER = /beat|scheduler|cron/i;

export interface InitInput {
  readonly project: string;
  readonly composeFiles: readonly string[];
  /** Why these files (see chooseComposeFiles). */
  readonly composeReason: string;
  readonly profiles?: readonly string[];
  readonly profilesReason?: string;
  readonly environment: string;
  readonly classification: Classification;
}

/** A comment over as many lines as it takes. */
function comment(text: string, width = 92): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 1 && line.length + word.length + 1 > width) {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

function sentence(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}

export function renderSlipwayYml(input: InitInput): string {
  const { classification: c } = input;
  const out: string[] = [];
  out.push(`# slipway.yml: what your compose files cannot say. Written by \`slipway init\` from`);
  out.push(`# ${input.composeFiles.join(", ")}. Every key is optional; \`slipway check\` validates this file.`);
  out.push(`project: ${input.project}`);
  out.push(...comment(`Compose files, in merge order: ${sentence(input.composeReason)}`));
  out.push(`compose: [${input.composeFiles.join(", ")}]`);
  if (input.profiles) {
    out.push(...comment(`Compose profiles enabled (${input.profilesReason ?? "as given"}); the release task is read whatever its profiles.`));
    out.push(`profiles: [${input.profiles.join(", ")}]`);
  }
  out.push("");
  out.push("# The release task runs once per deployment, from the new image, before the switch");
  out.push("# (migrations, compilemessages, collectstatic). A failure leaves the live release serving.");
  if (c.releaseTask) {
    out.push("release:", `  service: ${c.releaseTask}`, "  timeout: 10m");
  } else {
    out.push("release: false   # no compose service named `release`; name yours with release: { service: NAME }");
  }
  out.push("");
  out.push("# Routed services: the router sends them traffic, switched only once the new release answers.");
  if (c.routes.length > 0) {
    out.push("routes:");
    for (const route of c.routes) {
      out.push(`  - service: ${route.service}`, `    port: ${route.port}`);
      if (route.listen) out.push(`    listen: ${route.listen}   # the port compose publishes: the app's URL stays the same`);
      out.push("    healthcheck:");
      if (route.readiness.probe.type === "http") out.push(`      path: ${route.readiness.probe.path}`);
      else out.push(`      # path: /healthz   # probe an HTTP path; without it: ${route.readiness.probe.type === "docker" ? "the image's HEALTHCHECK" : "a TCP connect"}`);
      out.push(`      passes: ${route.readiness.passes}`, `      deadline: ${Math.round(route.readiness.deadlineMs / 1000)}s`);
    }
  } else {
    out.push("# routes:            # nothing publishes a port; name the service the router should serve:");
    out.push("#   - service: web");
    out.push("#     port: 8000");
    out.push("#     listen: 8080");
  }
  out.push("");
  out.push("# What each service is: app (built, or run from an image a service builds; replaced every");
  out.push("# release), accessory (a ready image, started once per environment and kept), release (the");
  out.push("# release task), ignore.");
  const schedulers = c.services.filter((s) => s.role === "app" && SCHEDULER.test(s.name));
  out.push("services:");
  for (const s of c.services) {
    const stopFirst = schedulers.includes(s) ? ", stop_first: true" : "";
    const why = stopFirst ? "   # a scheduler must never run twice: stopped before the new one starts" : `   # ${s.reason}`;
    out.push(`  ${s.name}: { role: ${s.role}${stopFirst} }${why}`);
  }
  out.push("");
  out.push("environments:");
  out.push(`  ${input.environment}:`, "    default: true", "    # branch: main", "    # hosts: [app.example.com]");
  out.push("");
  out.push("# Releases whose images are kept for rollback.");
  out.push("retain: 5");
  return `${out.join("\n")}\n`;
}
