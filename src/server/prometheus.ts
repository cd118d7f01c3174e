/** The server's metrics in Prometheus's text format (version 0.0.4). */
import { DURATION_BUCKETS, type Metrics } from "../app/index.js";

export function renderPrometheus(m: Metrics): string {
  const lines: string[] = [];
  lines.push("# HELP slipway_deployments Deployments in the store, by status.", "# TYPE slipway_deployments gauge");
  for (const [status, count] of Object.entries(m.deployments).sort()) lines.push(`slipway_deployments{status="${status}"} ${count}`);
  lines.push("# HELP slipway_queue_depth Deployments waiting in the queue.", "# TYPE slipway_queue_depth gauge", `slipway_queue_depth ${m.queueDepth}`);
  lines.push("# HELP slipway_deployment_duration_seconds How long finished deployments ran, from taking their lock to their end.", "# TYPE slipway_deployment_duration_seconds histogram");
  for (const [outcome, h] of Object.entries(m.durations).sort()) {
    DURATION_BUCKETS.forEach((bound, i) => lines.push(`slipway_deployment_duration_seconds_bucket{outcome="${outcome}",le="${bound}"} ${h.buckets[i] ?? 0}`));
    lines.push(`slipway_deployment_duration_seconds_bucket{outcome="${outcome}",le="+Inf"} ${h.count}`);
    lines.push(`slipway_deployment_duration_seconds_sum{outcome="${outcome}"} ${h.sum}`, `slipway_deployment_duration_seconds_count{outcome="${outcome}"} ${h.count}`);
  }
  return `${lines.join("\n")}\n`;
}
