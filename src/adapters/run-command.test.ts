import { describe, expect, it } from "vitest";
import { runCommand } from "./run-command.js";

describe("runCommand", () => {
  it("says when it killed a program that ran out of time", async () => {
    const killed = await runCommand("sh", ["-c", "sleep 10"], { timeoutMs: 100 });
    expect(killed).toMatchObject({ exitCode: 137, timedOut: true });
    const done = await runCommand("sh", ["-c", "exit 137"], { timeoutMs: 5000 });
    expect(done.exitCode).toBe(137);
    expect(done.timedOut).toBeUndefined();
  });
});
