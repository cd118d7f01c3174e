/**
 * Renders a deployment's events: on a terminal, each step with a spinner, its duration, and
 * its output folded (shown only when the step fails); in CI, plain timestamped lines; with
 * --json, one JSON object per line, each with its deployment's id.
 */
import type { DeploymentEvent, EventSink, StepName, StepOutcome } from "../app/errors.js";
import { withHint } from "./hints.js";

export type ProgressMode = "tty" | "plain" | "json";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FOLDED_TAIL = 20;

export function progressMode(flags: { json?: boolean }, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): ProgressMode {
  if (flags.json) return "json";
  return isTTY && !env.CI ? "tty" : "plain";
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The words a person reads for an event; undefined for the step events each renderer draws its own way. */
export function eventText(event: DeploymentEvent): string | undefined {
  switch (event.type) {
    case "queued":
      return `deployment ${event.deploymentId}: ${event.ref}${event.commit ? ` (${event.commit.slice(0, 12)})` : ""}`;
    case "lock-wait":
      return `waiting: the environment is locked by ${event.holder}`;
    case "warning":
      return `warning: ${event.text}`;
    case "message":
    case "live":
    case "built":
      return event.text;
    case "cancelled":
      return `deployment ${event.deploymentId} cancelled: ${event.reason}`;
    default:
      // failed: the entry point prints the error itself.
      return undefined;
  }
}

/** The JSON line of an event: steps keep the `{event: "step", status}` shape scripts already read. */
export function jsonShape(event: DeploymentEvent): Record<string, unknown> {
  switch (event.type) {
    case "step-started":
      return { event: "step", deploymentId: event.deploymentId, step: event.step, status: "started" };
    case "step-finished":
      return { event: "step", deploymentId: event.deploymentId, step: event.step, status: event.outcome, durationMs: event.durationMs, ...(event.detail ? { detail: event.detail } : {}) };
    case "failed":
      return { event: "failed", ...(event.deploymentId !== undefined ? { deploymentId: event.deploymentId } : {}), code: event.code, message: withHint(event.message, event.hint), ...(event.hint ? { hint: event.hint } : {}) };
    case "log":
      return { event: "log", deploymentId: event.deploymentId, step: event.step, stream: event.stream, line: event.line };
    default: {
      const { type, ...rest } = event;
      return { event: type, ...rest, ...(type === "queued" || type === "lock-wait" ? { text: eventText(event) } : {}) };
    }
  }
}

export function jsonEvents(write: (text: string) => void, now: () => Date = () => new Date()): EventSink {
  return (event) => write(`${JSON.stringify({ at: now().toISOString(), ...jsonShape(event) })}\n`);
}

export function plainEvents(write: (text: string) => void, now: () => Date = () => new Date()): EventSink {
  const line = (text: string): void => write(`${now().toISOString()} ${text}\n`);
  return (event) => {
    if (event.type === "step-started") line(`${event.step}: started`);
    else if (event.type === "step-finished") line(`${event.step}: ${event.outcome} in ${seconds(event.durationMs)}${event.detail ? ` (${event.detail})` : ""}`);
    else if (event.type === "log") line(`${event.step} ${event.stream === "info" ? "|" : ">"} ${event.line}`);
    else {
      const text = eventText(event);
      if (text !== undefined) line(text);
    }
  };
}

export function ttyEvents(write: (text: string) => void): EventSink & { stop(): void } {
  let current: { step: StepName; began: number; last: string; tail: string[] } | undefined;
  let frame = 0;
  const draw = (): void => {
    if (!current) return;
    const last = current.last ? `  ${current.last.slice(0, 60)}` : "";
    write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length] ?? "-"} ${current.step} ${seconds(Date.now() - current.began)}${last}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const mark: Record<StepOutcome, string> = { succeeded: "✓", failed: "✗", skipped: "-" };
  const sink = (event: DeploymentEvent): void => {
    if (event.type === "step-started") {
      current = { step: event.step, began: Date.now(), last: "", tail: [] };
      draw();
    } else if (event.type === "step-finished") {
      write(`\r\x1b[2K${mark[event.outcome]} ${event.step} ${seconds(event.durationMs)}${event.detail ? `  ${event.detail}` : ""}\n`);
      if (event.outcome === "failed" && current) for (const text of current.tail) write(`    ${text}\n`);
      current = undefined;
    } else if (event.type === "log") {
      if (!current) return;
      current.last = event.line;
      current.tail = [...current.tail.slice(-(FOLDED_TAIL - 1)), event.line];
    } else {
      const text = eventText(event);
      if (text === undefined) return;
      write(`\r\x1b[2K${text}\n`);
      draw();
    }
  };
  return Object.assign(sink, { stop: () => clearInterval(timer) });
}
