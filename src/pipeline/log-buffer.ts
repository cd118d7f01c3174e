/** Collects log lines and writes them to the store in batches: one insert per flush, not per line. */
import type { Store } from "../store/store.js";
import type { LogStream, StepName } from "./events.js";

export interface LogBufferOptions {
  readonly batch?: number;
  /** A background flush that failed: reported here, never an unhandled rejection. */
  readonly onError?: (error: unknown) => void;
}

export class LogBuffer {
  private pending: Array<{ step: StepName; stream: LogStream; line: string }> = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly batch: number;

  constructor(
    private readonly store: Pick<Store, "appendLogs">,
    private readonly deploymentId: number,
    private readonly options: LogBufferOptions = {},
  ) {
    this.batch = options.batch ?? 200;
  }

  add(step: StepName, stream: LogStream, line: string): void {
    this.pending.push({ step, stream, line });
    if (this.pending.length >= this.batch) this.flush().catch((error: unknown) => this.options.onError?.(error));
  }

  /** Writes what is pending; lines of one step stay in order. A failed write fails this flush only. */
  flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return this.writing;
    const byStep = new Map<StepName, Array<{ stream: LogStream; line: string }>>();
    for (const { step, stream, line } of lines) byStep.set(step, [...(byStep.get(step) ?? []), { stream, line }]);
    const write = this.writing.then(async () => {
      for (const [step, entries] of byStep) await this.store.appendLogs(this.deploymentId, step, entries);
    });
    // The chain goes on after a failure: the next flush still writes its own lines.
    this.writing = write.catch(() => undefined);
    return write;
  }
}
