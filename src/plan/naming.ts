/** Names of the Docker objects Slipway creates; one place, so they never drift apart. */

export const LABEL = {
  project: "slipway.project",
  environment: "slipway.environment",
  release: "slipway.release",
  service: "slipway.service",
  role: "slipway.role",
  managed: "slipway.managed",
  /** A one-off container (`slipway run`): of a release, never one of its own. */
  oneOff: "slipway.one-off",
} as const;

/** A compose project name must be lowercase letters, digits, dashes and underscores. */
export function sanitizeName(input: string): string {
  const cleaned = input.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
  return cleaned || "app";
}

export function releaseProjectName(project: string, environment: string, release: string): string {
  return `${project}-${environment}-${release}`;
}

export function accessoriesProjectName(project: string, environment: string): string {
  return `${project}-${environment}-accessories`;
}

/**
 * The environment-wide network, which accessories and every release join. Docker's DNS answers
 * a name from the container's networks in the order of their names, and every release's app
 * services carry their service names on this network too: so its name must sort after every
 * release network (`<project>-<env>-v3_default`), or a frontend asking for `web` could reach
 * another release's `web`. "-wide" sorts after "-v…"; a docker test guards this.
 */
export function environmentNetworkName(project: string, environment: string): string {
  return `${project}-${environment}-wide`;
}

export function environmentVolumeName(project: string, environment: string, volume: string): string {
  return `${project}-${environment}_${volume}`;
}

export function imageName(project: string, service: string): string {
  return `${project}/${service}`;
}

/** Tags are the first 12 characters of the commit (plus a marker for a dirty tree). */
export function commitTag(commit: string, dirty = false): string {
  return dirty ? `${commit.slice(0, 12)}-dirty` : commit.slice(0, 12);
}
