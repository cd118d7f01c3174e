/** The server's numbers from the store: counts by status, and durations into cumulative buckets. */
import { hostname } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { metrics } from "./metrics.js";

describe("metrics", () => {
  it("counts deployments by status and buckets finished ones by how long they ran", async () => {
    const home = mkdtempSync(join(tmpdir(), "slipway-metrics-"));
    try {
      await using app = createApp({ env: { SLIPWAY_HOME: home }, identity: { pid: process.pid, hostname: hostname() } });
      const { store } = await app.deps();
      const environmentId = await store.ensureEnvironment(await store.ensureProject("shop", "/srv/shop"), "live");
      for (const [seconds, status] of [[4, "succeeded"], [40, "succeeded"], [700, "failed"]] as const) {
        const id = await store.createDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann" });
        await store.db.updateTable("deployments").set({ status, running_at: "2026-01-01T00:00:00.000Z", finished_at: new Date(Date.parse("2026-01-01T00:00:00.000Z") + seconds * 1000).toISOString() }).where("id", "=", id).execute();
      }
      await store.enqueueDeployment({ environmentId, kind: "deploy", ref: "main", actor: "ann", request: {} });
      const m = await metrics(app);
      expect(m.deployments).toEqual({ succeeded: 2, failed: 1, queued: 1 });
      expect(m.queueDepth).toBe(1);
      expect(m.durations.succeeded).toEqual({ buckets: [1, 1, 1, 2, 2, 2, 2, 2, 2, 2], sum: 44, count: 2 });
      expect(m.durations.failed).toEqual({ buckets: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1], sum: 700, count: 1 });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
