/** Where a build's images go on a swarm: `<registry>/<service>:<tag>`, one repository per app service. */
export function registryReference(registry: string, service: string, tag: string): string {
  return `${registry.replace(/\/+$/, "")}/${service}:${tag}`;
}
