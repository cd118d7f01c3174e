/**
 * Renders a deployment's events: on a terminal, each step with a spinner, its duration, and
 * its output folded (shown only when the step fails); in CI, plain timestamped lines; with
 * --json, one JSON object per line.
 */
import type { DeployEvents, LogStream, StepName, StepOutcome } from "../pipeline/events.js";

export type ProgressMode = "tty" | "plain" | "json";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FOLDED_TAIL = 20;

export function progressMode(flags: { json?: boolean }, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): ProgressMode {
  if (flags.json) return "json";
  return isTTY && !env.CI ? "tty" : "plain";
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function jsonEvents(write: (text: string) => void, now: () => Date = () => new Date()): DeployEvents {
  const emit = (event: Record<string, unknown>): void => write(`${JSON.stringify({ at: now().toISOString(), ...event })}\n`);
  return {
    stepStarted: (step) => emit({ event: "step", step, status: "started" }),
    stepFinished: (step, status, durationMs, detail) => emit({ event: "step", step, status, durationMs, ...(detail ? { detail } : {}) }),
    log: (step, stream, line) => emit({ event: "log", step, stream, line }),
    message: (text) => emit({ event: "message", text }),
  };
}

export function plainEvents(write: (text: string) => void, now: () => Date = () => new Date()): DeployEvents {
  const line = (text: string): void => write(`${now().toISOString()} ${text}\n`);
  return {
    stepStarted: (step) => line(`${step}: started`),
    stepFinished: (step, status, durationMs, detail) => line(`${step}: ${status} in ${seconds(durationMs)}${detail ? ` (${detail})` : ""}`),
    log: (step, stream, text) => line(`${step} ${stream === "info" ? "|" : ">"} ${text}`),
    message: (text) => line(text),
  };
}

export function ttyEvents(write: (text: string) => void): DeployEvents & { stop(): void } {
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
  return {
    stepStarted(step) {
      current = { step, began: Date.now(), last: "", tail: [] };
      draw();
    },
    stepFinished(step, status, durationMs, detail) {
      write(`\r\x1b[2K${mark[status]} ${step} ${seconds(durationMs)}${detail ? `  ${detail}` : ""}\n`);
      if (status === "failed" && current) for (const text of current.tail) write(`    ${text}\n`);
      current = undefined;
    },
    log(_step, _stream: LogStream, text) {
      if (!current) return;
      current.last = text;
      current.tail = [...current.tail.slice(-(FOLDED_TAIL - 1)), text];
    },
    message(text) {
      write(`\r\x1b[2K${text}\n`);
      draw();
    },
    stop: () => clearInterval(timer),
  };
}
