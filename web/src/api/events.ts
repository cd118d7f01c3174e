/**
 * A deployment's events as its SSE stream sends them (`event:` the type, `data:` the JSON the
 * CLI's --json prints). The OpenAPI document describes the stream as text only, so these
 * mirror the server's event union (src/core/events.ts) by hand.
 */
export type StepName = "preflight" | "source" | "build" | "release" | "start" | "verify" | "switch" | "retire";
export const STEPS: readonly StepName[] = ["preflight", "source", "build", "release", "start", "verify", "switch", "retire"];

export type DeploymentEvent =
  | { type: "queued"; deploymentId: number; kind: string; ref: string; commit?: string }
  | { type: "lock-wait"; deploymentId: number; holder: string }
  | { type: "step-started"; deploymentId: number; step: StepName }
  | { type: "step-finished"; deploymentId: number; step: StepName; outcome: "succeeded" | "failed" | "skipped"; durationMs: number; detail?: string }
  | { type: "log"; deploymentId: number; step: StepName; stream: "stdout" | "stderr" | "info"; line: string }
  | { type: "warning" | "message"; deploymentId: number; text: string }
  | { type: "live"; deploymentId: number; release: string; urls: readonly string[]; text: string }
  | { type: "built"; deploymentId: number; commit: string; tag: string; images: readonly string[]; reused: boolean; text: string }
  | { type: "cancelled"; deploymentId: number; reason: string }
  | { type: "failed"; deploymentId?: number; code: string; message: string; hint?: Record<string, unknown> & { action: string } };

export const EVENT_TYPES: ReadonlyArray<DeploymentEvent["type"]> = ["queued", "lock-wait", "step-started", "step-finished", "log", "warning", "message", "live", "built", "cancelled", "failed"];

export const isFinal = (e: DeploymentEvent): boolean => e.type === "live" || e.type === "built" || e.type === "failed" || e.type === "cancelled";
