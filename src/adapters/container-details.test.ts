import { describe, expect, it } from "vitest";
import { LogSplitter } from "./container-details.js";

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

function split(framed: boolean, chunks: readonly Buffer[]): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  const splitter = new LogSplitter(framed, (line, stream) => lines.push([stream, line]));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe("LogSplitter", () => {
  it("splits the engine's frames into lines of their stream, whatever the chunks' boundaries", () => {
    const bytes = Buffer.concat([frame(1, "one\ntw"), frame(2, "oops\n"), frame(1, "o\r\nlast")]);
    const expected = [["stdout", "one"], ["stderr", "oops"], ["stdout", "two"], ["stdout", "last"]];
    expect(split(true, [bytes])).toEqual(expected);
    expect(split(true, [...bytes].map((byte) => Buffer.from([byte])))).toEqual(expected);
  });

  it("takes a terminal's output as one raw stream", () => {
    expect(split(false, [Buffer.from("a\r\nb"), Buffer.from("c\n")])).toEqual([["stdout", "a"], ["stdout", "bc"]]);
  });
});
