/**
 * Restart policies. The engine starts a container again after a crash, a reboot or a restart of
 * dockerd only under a policy, so app services and accessories get `unless-stopped` when the
 * compose files give none (`docker stop`, which retire uses to keep the previous release, still
 * keeps one down). The release task runs once: never restarted.
 */
type Json = Record<string, unknown>;

export const DEFAULT_RESTART = "unless-stopped";

const hasPolicy = (service: Json): boolean => service.restart !== undefined || (service.deploy as Json | undefined)?.restart_policy !== undefined;

export function withDefaultRestart(service: Json): Json {
  return hasPolicy(service) ? service : { ...service, restart: DEFAULT_RESTART };
}

export function withoutRestart(service: Json): Json {
  const { restart: _restart, ...rest } = service;
  const { restart_policy: _policy, ...deploy } = (service.deploy as Json | undefined) ?? {};
  return service.deploy === undefined ? rest : { ...rest, deploy };
}

export interface RestartPolicy {
  readonly name: "no" | "always" | "unless-stopped" | "on-failure";
  readonly maximumRetryCount?: number;
}

/** The engine's policy for a planned service, as compose would set it. */
export function restartPolicyOf(service: Json): RestartPolicy {
  if (typeof service.restart === "string") {
    const [name, count] = service.restart.split(":");
    if (name === "on-failure") return count ? { name, maximumRetryCount: Number(count) } : { name };
    return name === "always" || name === "unless-stopped" ? { name } : { name: "no" };
  }
  const policy = (service.deploy as Json | undefined)?.restart_policy as Json | undefined;
  if (!policy) return { name: "no" };
  const attempts = typeof policy.max_attempts === "number" ? { maximumRetryCount: policy.max_attempts } : {};
  if (policy.condition === "on-failure") return { name: "on-failure", ...attempts };
  return policy.condition === "none" ? { name: "no" } : { name: "always" };
}
