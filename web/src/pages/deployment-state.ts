/** A deployment as its events tell it: each step's state, time and log lines, and how it ended. */
import { STEPS, type DeploymentEvent, type StepName } from "../api/events.ts";

export interface StepState {
  readonly name: StepName;
  status: "pending" | "running" | "succeeded" | "failed" | "skipped";
  durationMs?: number;
  startedAt?: number;
  detail?: string;
  lines: Array<{ stream: string; line: string }>;
}

export interface Timeline {
  steps: StepState[];
  /** Lines said outside any step: warnings, messages, the wait for the lock. */
  notes: string[];
  final?: Extract<DeploymentEvent, { type: "live" | "built" | "failed" | "cancelled" }>;
  commit?: string;
  /** The id of the last event seen. */
  seen: number;
}

export function emptyTimeline(): Timeline {
  return { steps: STEPS.map((name) => ({ name, status: "pending", lines: [] })), notes: [], seen: 0 };
}

/** Applies one event (in place: the page re-renders on its own count of events). */
export function apply(t: Timeline, event: DeploymentEvent, at = Date.now()): void {
  const step = (name: StepName): StepState | undefined => t.steps.find((s) => s.name === name);
  switch (event.type) {
    case "queued":
      if (event.commit) t.commit = event.commit;
      break;
    case "step-started": {
      const s = step(event.step);
      if (s) Object.assign(s, { status: "running", startedAt: at });
      break;
    }
    case "step-finished": {
      const s = step(event.step);
      if (s) Object.assign(s, { status: event.outcome, durationMs: event.durationMs, ...(event.detail ? { detail: event.detail } : {}) });
      break;
    }
    case "log":
      step(event.step)?.lines.push({ stream: event.stream, line: event.line });
      break;
    case "warning":
    case "message":
      t.notes.push(event.text);
      break;
    case "lock-wait":
      t.notes.push(`waiting for the lock held by ${event.holder}`);
      break;
    default:
      t.final = event;
      // A step still running when the deployment ended did not finish.
      for (const s of t.steps) if (s.status === "running") s.status = event.type === "failed" ? "failed" : "skipped";
  }
}

const HINTS: Record<string, (h: Record<string, unknown>) => string> = {
  "wait-for-lock": () => "Another deployment holds the environment: wait for it to end, or cancel it.",
  "read-deployment-log": () => "Read the log of the failed step below.",
  "allow-dirty": () => "Commit the changes, or deploy with allow-dirty from the CLI.",
  "deploy-ref": (h) => `Deploy the ref ${String(h.ref)} instead.`,
  "build-elsewhere-first": () => "Build this commit first (a deploy with a build), then re-use it.",
  "list-releases": () => "See the releases: choose one that can still be rolled back to.",
  "deploy-first": (h) => `Deploy ${String(h.environment)} first.`,
  "replace-config": () => "Fix the project's configuration, commit, and deploy again.",
};

export function hintText(hint: (Record<string, unknown> & { action: string }) | undefined): string | undefined {
  if (!hint) return undefined;
  return HINTS[hint.action]?.(hint) ?? `Next: ${hint.action}`;
}
