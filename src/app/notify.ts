/**
 * Sends the event of an ended deployment to each of its project's notification targets, at
 * once and independently: one target's failures never hold up another's delivery.
 */
import { randomUUID } from "node:crypto";
import type { NotificationTargetRow } from "../store/store.js";
import type { App } from "./app.js";
import type { DeploymentFacts } from "./deployment-facts.js";
import { NOTIFICATION_RETRIES, postWithRetries, type RetryPolicy } from "./http-delivery.js";
import { notificationEvent, notificationHeaders } from "./notification-event.js";

export async function notifyEnded(app: App, facts: DeploymentFacts, signal: AbortSignal, policy: RetryPolicy = NOTIFICATION_RETRIES): Promise<void> {
  const { store } = await app.deps();
  const targets = await store.notificationTargets(facts.projectId);
  await Promise.allSettled(targets.map((target) => deliverTo(app, facts, target, { signal, policy })));
}

async function deliverTo(app: App, facts: DeploymentFacts, target: NotificationTargetRow, options: { signal: AbortSignal; policy: RetryPolicy }): Promise<void> {
  const { store, sealer } = await app.deps();
  const secret = sealer().open(target.secret, "a notification target's secret");
  app.redactor.add([secret]);
  const event = notificationEvent(facts, randomUUID());
  // Serialised once: every attempt sends, and signs, the same bytes.
  const body = JSON.stringify(event);
  await postWithRetries(
    { url: target.url, headers: notificationHeaders(event, body, secret), body },
    {
      ...options,
      clock: app.clock,
      record: (outcome) =>
        store.recordNotificationAttempt({ targetId: target.id, deploymentId: facts.deploymentId, delivery: event.delivery, event: event.event, ...outcome, ...(outcome.error ? { error: app.redactor.apply(outcome.error) } : {}) }),
    },
  );
}
