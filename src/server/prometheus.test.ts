/** /metrics as Prometheus text: deployments by status, the queue's depth, a cumulative duration histogram by outcome. */
import { describe, expect, it } from "vitest";
import { renderPrometheus } from "./prometheus.js";

describe("renderPrometheus", () => {
  it("renders counts, the queue depth and cumulative buckets with +Inf, sum and count", () => {
    const text = renderPrometheus({
      deployments: { succeeded: 3, queued: 2 },
      queueDepth: 2,
      durations: { succeeded: { buckets: [1, 2, 2, 3, 3, 3, 3, 3, 3, 3], sum: 70.5, count: 3 } },
    });
    expect(text).toContain('slipway_deployments{status="queued"} 2\nslipway_deployments{status="succeeded"} 3\n');
    expect(text).toContain("# TYPE slipway_queue_depth gauge\nslipway_queue_depth 2\n");
    expect(text).toContain('slipway_deployment_duration_seconds_bucket{outcome="succeeded",le="5"} 1\n');
    expect(text).toContain('slipway_deployment_duration_seconds_bucket{outcome="succeeded",le="3600"} 3\n');
    expect(text).toContain('slipway_deployment_duration_seconds_bucket{outcome="succeeded",le="+Inf"} 3\nslipway_deployment_duration_seconds_sum{outcome="succeeded"} 70.5\nslipway_deployment_duration_seconds_count{outcome="succeeded"} 3\n');
    expect(text.endsWith("\n")).toBe(true);
  });
});
