/** What a deployment tells the outside world while it runs; the CLI renders it, the store keeps it. */
export const STEPS = ["preflight", "source", "build", "release", "start", "verify", "switch", "retire"] as const;
export type StepName = (typeof STEPS)[number];
export type LogStream = "stdout" | "stderr" | "info";
export type StepOutcome = "succeeded" | "failed" | "skipped";

export interface DeployEvents {
  stepStarted(step: StepName): void;
  stepFinished(step: StepName, outcome: StepOutcome, durationMs: number, detail?: string): void;
  log(step: StepName, stream: LogStream, line: string): void;
  /** Something said once, outside any step (waiting for a lock, the URL when live). */
  message(text: string): void;
}

export const silentEvents: DeployEvents = {
  stepStarted: () => undefined,
  stepFinished: () => undefined,
  log: () => undefined,
  message: () => undefined,
};
