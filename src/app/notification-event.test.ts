/** The event a notification target receives, as an exact object, and its signature. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { DeploymentRow } from "../store/store.js";
import type { DeploymentFacts } from "./deployment-facts.js";
import { deploymentLink } from "./deployment-facts.js";
import { eventNameOf, notificationEvent, notificationHeaders, signatureOf } from "./notification-event.js";

const row: DeploymentRow = {
  id: 12,
  environmentId: 3,
  releaseId: 9,
  kind: "deploy",
  ref: "main",
  commit: "0123456789abcdef0123456789abcdef01234567",
  actor: "ann",
  status: "succeeded",
  startedAt: new Date("2026-05-04T10:00:00Z"),
  finishedAt: new Date("2026-05-04T10:01:30Z"),
  queuedRequest: false,
};
const facts: DeploymentFacts = {
  deploymentId: 12,
  projectId: 1,
  project: "shop",
  environment: "production",
  row,
  commit: row.commit ?? "",
  release: "v7",
  urls: ["https://shop.example.com/"],
  link: "https://slipway.example.com/#/d/12",
};

describe("a notification event", () => {
  it("says everything about the deployment that ended", () => {
    expect(notificationEvent(facts, "b9c1")).toEqual({
      event: "deployment.live",
      delivery: "b9c1",
      project: "shop",
      environment: "production",
      deployment: {
        id: 12,
        kind: "deploy",
        ref: "main",
        commit: "0123456789abcdef0123456789abcdef01234567",
        release: "v7",
        status: "succeeded",
        error: null,
        urls: ["https://shop.example.com/"],
        finishedAt: "2026-05-04T10:01:30.000Z",
        link: "https://slipway.example.com/#/d/12",
      },
    });
  });

  it.each([
    { status: "succeeded", event: "deployment.live" },
    { status: "failed", event: "deployment.failed" },
    { status: "interrupted", event: "deployment.failed" },
    { status: "cancelled", event: "deployment.cancelled" },
    { status: "superseded", event: "deployment.cancelled" },
  ] as const)("is $event for a deployment $status", ({ status, event }) => {
    expect(eventNameOf(status)).toBe(event);
  });

  it("is signed: sha256= and the hex HMAC-SHA256 of the exact body", () => {
    const body = JSON.stringify(notificationEvent(facts, "b9c1"));
    const expected = `sha256=${createHmac("sha256", "whsec_k").update(body).digest("hex")}`;
    expect(signatureOf("whsec_k", body)).toBe(expected);
    expect(notificationHeaders(notificationEvent(facts, "b9c1"), body, "whsec_k")).toEqual({ "user-agent": "slipway", "x-slipway-event": "deployment.live", "x-slipway-delivery": "b9c1", "x-slipway-signature": expected });
  });

  it("links to the deployment's page of the web UI when the server's public URL is known", () => {
    expect(deploymentLink("https://slipway.example.com/", 12)).toBe("https://slipway.example.com/#/d/12");
    expect(deploymentLink("https://example.com/slipway", 3)).toBe("https://example.com/slipway/#/d/3");
    expect(deploymentLink(undefined, 3)).toBeUndefined();
  });
});
