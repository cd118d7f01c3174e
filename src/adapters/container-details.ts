/**
 * What the engine says of one container beyond its state: how it was created (image, command,
 * variables, mounts), and its output as it comes. Thin: the comparisons live in plan/.
 */
import type Docker from "dockerode";

export interface MountInfo {
  /** volume, bind, tmpfs, … */
  readonly type: string;
  /** A volume's name, or a bind mount's host path. */
  readonly source: string;
  readonly target: string;
}

export interface ContainerSpec {
  /** The image reference it was created with, as given (`busybox:stable`). */
  readonly image: string;
  /** The id of the image it runs. */
  readonly imageId: string;
  readonly entrypoint: readonly string[];
  readonly command: readonly string[];
  /** `KEY=value`, as the engine keeps them (the image's own among them). */
  readonly env: readonly string[];
  readonly mounts: readonly MountInfo[];
}

export function toSpec(info: Docker.ContainerInspectInfo): ContainerSpec {
  const words = (value: string | string[] | null | undefined): string[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
  return {
    image: info.Config.Image,
    imageId: info.Image,
    entrypoint: words(info.Config.Entrypoint),
    command: words(info.Config.Cmd),
    env: info.Config.Env ?? [],
    mounts: info.Mounts.map((m) => ({ type: m.Type, source: (m.Type === "volume" ? m.Name : m.Source) ?? m.Source, target: m.Destination })),
  };
}

export interface FollowOptions {
  readonly follow: boolean;
  /** Only the last lines (default: all). */
  readonly tail?: number;
  readonly onLine: (line: string, stream: "stdout" | "stderr") => void;
  /** Aborting stops following. */
  readonly signal?: AbortSignal;
}

/**
 * Splits the engine's log stream into lines: 8-byte frames (stream, size) unless the container
 * has a terminal, whose output is one raw stream.
 */
export class LogSplitter {
  private buffer = Buffer.alloc(0);
  private readonly partial = { stdout: "", stderr: "" };

  constructor(
    private readonly framed: boolean,
    private readonly onLine: FollowOptions["onLine"],
  ) {}

  push(chunk: Buffer): void {
    if (!this.framed) return this.text(chunk, "stdout");
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) return;
      this.text(this.buffer.subarray(8, 8 + size), this.buffer[0] === 2 ? "stderr" : "stdout");
      this.buffer = this.buffer.subarray(8 + size);
    }
  }

  end(): void {
    for (const stream of ["stdout", "stderr"] as const) if (this.partial[stream]) this.onLine(this.partial[stream], stream);
  }

  private text(chunk: Buffer, stream: "stdout" | "stderr"): void {
    const lines = (this.partial[stream] + chunk.toString("utf8")).split("\n");
    this.partial[stream] = lines.pop() ?? "";
    for (const line of lines) this.onLine(line.replace(/\r$/, ""), stream);
  }
}

export async function followLogs(container: Docker.Container, options: FollowOptions): Promise<void> {
  const info = await container.inspect();
  const splitter = new LogSplitter(!info.Config.Tty, options.onLine);
  const base = { stdout: true, stderr: true, ...(options.tail !== undefined ? { tail: options.tail } : {}) };
  if (!options.follow) {
    splitter.push(await container.logs({ ...base, follow: false }));
    return splitter.end();
  }
  const stream = (await container.logs({ ...base, follow: true })) as NodeJS.ReadableStream & { destroy(): void };
  await new Promise<void>((resolve, reject) => {
    const stop = (): void => {
      stream.destroy();
      resolve();
    };
    options.signal?.addEventListener("abort", stop, { once: true });
    stream.on("data", (chunk: Buffer) => splitter.push(chunk));
    stream.on("error", reject);
    stream.on("end", () => {
      options.signal?.removeEventListener("abort", stop);
      splitter.end();
      resolve();
    });
  });
}
