/** One line per service, shared by `check` and `init`. */
import type { Classification, Readiness, ServiceClass } from "../../app/inspect.js";

export function describeReadiness(probe: Readiness): string {
  if (probe.type === "http") return `HTTP GET ${probe.path}`;
  return probe.type === "docker" ? "the image's HEALTHCHECK" : "TCP connect";
}

export function describeService(service: ServiceClass, classification: Classification): string {
  const role = service.role === "release" ? "release task" : service.role;
  const parts = [`${service.name}: ${role} (${service.reason})`];
  for (const route of classification.routes.filter((r) => r.service === service.name)) {
    const listen = route.listen && route.hosts.length === 0 ? ` on router port ${route.listen}` : "";
    const hosts = route.hosts.length > 0 ? ` for ${route.hosts.join(", ")} on the router's web ports (${route.certificate ? "HTTPS, HTTP redirected" : "HTTP only"})` : "";
    parts.push(`routed to :${route.port}${listen}${hosts}, ready when ${describeReadiness(route.readiness.probe)} passes ${route.readiness.passes}x`);
  }
  if (service.buildOf && !service.reason.endsWith(`${service.buildOf}'s image`)) parts.push(`same image as ${service.buildOf}`);
  if (service.stopFirst) parts.push("stop-first");
  return parts.join(", ");
}
