/**
 * What a deployment tells the outside world while it runs: one union, every event carrying its
 * deployment's id. The CLI renders these as progress, `--json` lines; a server streams them.
 */
import type { ErrorCode, ErrorHint } from "./errors.js";

export const STEPS = ["preflight", "source", "build", "release", "start", "verify", "switch", "retire"] as const;
export type StepName = (typeof STEPS)[number];
export type LogStream = "stdout" | "stderr" | "info";
export type StepOutcome = "succeeded" | "failed" | "skipped";

export type DeploymentEvent =
  | { readonly type: "queued"; readonly deploymentId: number; readonly kind: string; readonly ref: string; readonly commit?: string }
  | { readonly type: "lock-wait"; readonly deploymentId: number; readonly holder: string }
  | { readonly type: "step-started"; readonly deploymentId: number; readonly step: StepName }
  | { readonly type: "step-finished"; readonly deploymentId: number; readonly step: StepName; readonly outcome: StepOutcome; readonly durationMs: number; readonly detail?: string }
  | { readonly type: "log"; readonly deploymentId: number; readonly step: StepName; readonly stream: LogStream; readonly line: string }
  | { readonly type: "warning"; readonly deploymentId: number; readonly text: string }
  | { readonly type: "message"; readonly deploymentId: number; readonly text: string }
  | { readonly type: "live"; readonly deploymentId: number; readonly release: string; readonly urls: readonly string[]; readonly text: string }
  /** The last event of a build on its own (`slipway build`): its images, built now or found built. */
  | { readonly type: "built"; readonly deploymentId: number; readonly commit: string; readonly tag: string; readonly images: readonly string[]; readonly reused: boolean; readonly text: string }
  | { readonly type: "cancelled"; readonly deploymentId: number; readonly reason: string }
  /** The last event of a failed operation; no deployment id when it failed before one was created. */
  | { readonly type: "failed"; readonly deploymentId?: number; readonly code: ErrorCode; readonly message: string; readonly hint?: ErrorHint };

export type DeploymentEventType = DeploymentEvent["type"];

export type EventSink = (event: DeploymentEvent) => void;

export const silentSink: EventSink = () => undefined;

/** The events that end a deployment's stream. */
export function isFinal(event: DeploymentEvent): boolean {
  return event.type === "live" || event.type === "built" || event.type === "failed" || event.type === "cancelled";
}
