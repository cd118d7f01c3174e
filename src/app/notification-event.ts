/**
 * The event a notification target receives when a deployment ends, and its signature: pure, so
 * that the payload documented in the README is the one tested.
 */
import { createHmac } from "node:crypto";
import type { DeploymentStatus } from "../store/store.js";
import type { DeploymentFacts } from "./deployment-facts.js";

export type NotificationEventName = "deployment.live" | "deployment.failed" | "deployment.cancelled";

export interface NotificationEvent {
  readonly event: NotificationEventName;
  /** The same on every attempt of one delivery (the X-Slipway-Delivery header). */
  readonly delivery: string;
  readonly project: string;
  readonly environment: string;
  readonly deployment: {
    readonly id: number;
    readonly kind: string;
    readonly ref: string;
    readonly commit: string | null;
    readonly release: string | null;
    readonly status: DeploymentStatus;
    readonly error: string | null;
    readonly urls: readonly string[];
    readonly finishedAt: string | null;
    /** Its page in the web UI, when SLIPWAY_PUBLIC_URL is set. */
    readonly link: string | null;
  };
}

export function eventNameOf(status: DeploymentStatus): NotificationEventName {
  if (status === "succeeded") return "deployment.live";
  if (status === "cancelled" || status === "superseded") return "deployment.cancelled";
  return "deployment.failed";
}

export function notificationEvent(facts: DeploymentFacts, delivery: string): NotificationEvent {
  const { row } = facts;
  return {
    event: eventNameOf(row.status),
    delivery,
    project: facts.project,
    environment: facts.environment,
    deployment: {
      id: facts.deploymentId,
      kind: row.kind,
      ref: row.ref,
      commit: facts.commit ?? null,
      release: facts.release ?? null,
      status: row.status,
      error: row.error ?? null,
      urls: facts.urls,
      finishedAt: row.finishedAt?.toISOString() ?? null,
      link: facts.link ?? null,
    },
  };
}

/** The X-Slipway-Signature header: `sha256=` and the hex HMAC-SHA256 of the body's exact bytes under the target's secret. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** The headers of one delivery (its body is the event as JSON). */
export function notificationHeaders(event: NotificationEvent, body: string, secret: string): Record<string, string> {
  return { "user-agent": "slipway", "x-slipway-event": event.event, "x-slipway-delivery": event.delivery, "x-slipway-signature": signatureOf(secret, body) };
}
