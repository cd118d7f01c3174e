/** What an entry point may touch: passed in, so tests never touch `process`. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  /** Standard output without redaction, for what the user asked to see in clear (--reveal). */
  readonly stdoutRaw?: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard error without redaction, for a one-off command's own output (passed through as it is). */
  readonly stderrRaw?: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  /**
   * This process's own standard streams may be handed to a child as they are (a terminal, a
   * pipe, a file): a one-off command then reads and writes them itself. Absent where output is
   * captured (tests), which then get its output line by line.
   */
  readonly handsOverStdio?: boolean;
  /** All of standard input (for `slipway env set KEY=-`). */
  readonly readStdin?: () => Promise<string>;
  /** Asks a yes/no question on the terminal; absent when standard input is not one. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** This process, as the holder of the locks it takes. */
  readonly identity: { readonly pid: number; readonly hostname: string };
  /** Aborted by SIGINT or SIGTERM: a deployment then stops cleanly (before its switch) or finishes (after). */
  readonly signal?: AbortSignal;
}
