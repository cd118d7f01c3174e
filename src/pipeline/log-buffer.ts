/** Collects log lines and writes them to the store in batches: one insert per flush, not per line. */
import type { Store } from "../store/store.js";
import type { LogStream, StepName } from "./events.js";

export class LogBuffer {
  private pending: Array<{ step: StepName; stream: LogStream; line: string }> = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<Store, "appendLogs">,
    private readonly deploymentId: number,
    private readonly batch = 200,
  ) {}

  add(step: StepName, stream: LogStream, line: string): void {
    this.pending.push({ step, stream, line });
    if (this.pending.length >= this.batch) void this.flush();
  }

  /** Writes what is pending; lines of one step stay in order. */
  flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return this.writing;
    const byStep = new Map<StepName, Array<{ stream: LogStream; line: string }>>();
    for (const { step, stream, line } of lines) byStep.set(step, [...(byStep.get(step) ?? []), { stream, line }]);
    this.writing = this.writing.then(async () => {
      for (const [step, entries] of byStep) await this.store.appendLogs(this.deploymentId, step, entries);
    });
    return this.writing;
  }
}
