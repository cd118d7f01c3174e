/**
 * What a zero-downtime deploy cannot work with, found in the resolved model. Errors stop a
 * deploy; warnings are things the plan changes on the user's behalf.
 */
import type { Classification } from "./classify.js";
import { publishedPort, type ComposeModel } from "./compose-model.js";

export interface LintReport {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export function lintForZeroDowntime(model: ComposeModel, classification: Classification): LintReport {
  const errors: string[] = [...classification.problems];
  const warnings: string[] = [];
  const routed = new Set(classification.routes.map((r) => `${r.service}:${r.port}`));
  const roleOf = new Map(classification.services.map((s) => [s.name, s.role]));

  for (const s of classification.services) {
    const service = model.services[s.name];
    if (!service || (s.role !== "app" && s.role !== "release")) continue;
    const where = `services.${s.name}`;
    if (service.container_name) {
      warnings.push(`${where}.container_name: "${service.container_name}" is dropped in releases, because two releases run side by side; refer to the service by its name "${s.name}"`);
    }
    if (service.network_mode === "host" || service.network_mode?.startsWith("container:")) {
      errors.push(`${where}.network_mode: "${service.network_mode}" cannot run beside a second release (ports and names would collide); remove it and publish the port instead`);
    }
    for (const port of service.ports ?? []) {
      const host = publishedPort(port);
      if (host === undefined) continue;
      if (s.role === "release") {
        warnings.push(`${where}.ports: the release task's published port ${host} is removed (it runs once, with no traffic)`);
      } else if (!routed.has(`${s.name}:${port.target}`)) {
        errors.push(`${where}.ports: fixed public port ${host}:${port.target} on a service that is not routed: two releases cannot both bind it. Route it (routes: in slipway.yml) or remove the mapping`);
      }
    }
    for (const dependency of Object.keys(service.depends_on ?? {})) {
      if (roleOf.get(dependency) === "release") {
        errors.push(`${where}.depends_on: "${dependency}" is the release task, which runs once before the switch; remove this dependency`);
      }
    }
  }
  for (const s of classification.services.filter((c) => c.role === "accessory")) {
    for (const dependency of Object.keys(model.services[s.name]?.depends_on ?? {})) {
      const role = roleOf.get(dependency);
      if (role === "app" || role === "release") {
        errors.push(`services.${s.name}.depends_on: the accessory depends on the ${role} service "${dependency}", but accessories start before any release; declare "${dependency}" an accessory or remove the dependency`);
      }
    }
  }
  if (classification.routes.length === 0 && classification.services.some((s) => s.role === "app")) {
    warnings.push("no routed service: no app service publishes a port and slipway.yml has no routes:, so releases run but receive no traffic");
  }
  return { errors, warnings };
}
