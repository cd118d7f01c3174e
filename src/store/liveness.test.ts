/** Telling a live holder from a dead one, and from a later process that was given its pid. */
import { describe, expect, it } from "vitest";
import { holderIsDead, processStarted } from "./liveness.js";
import { deadPid } from "./testing/process.js";

const HOST = "this-host";

describe("liveness", () => {
  it("names this process's start the same way each time", () => {
    const started = processStarted(process.pid);
    expect(started).toMatch(/^[0-9a-f-]{36}:\d+$/);
    expect(processStarted(process.pid)).toBe(started);
  });

  it.each([
    { name: "this process, as it started", holder: () => ({ pid: process.pid, hostname: HOST, started: processStarted(process.pid) ?? null }), dead: false },
    { name: "a holder recorded before starts were kept", holder: () => ({ pid: process.pid, hostname: HOST, started: null }), dead: false },
    { name: "this pid, but another process's start (the pid was reused)", holder: () => ({ pid: process.pid, hostname: HOST, started: "00000000-0000-0000-0000-000000000000:1" }), dead: true },
    { name: "another host's process", holder: () => ({ pid: 1, hostname: "elsewhere", started: "x:1" }), dead: false },
    { name: "no pid recorded", holder: () => ({ pid: null, hostname: HOST, started: null }), dead: false },
  ])("$name: dead is $dead", ({ holder, dead }) => {
    expect(holderIsDead(holder(), HOST)).toBe(dead);
  });

  it("a process that exited is dead", async () => {
    expect(holderIsDead({ pid: await deadPid(), hostname: HOST, started: null }, HOST)).toBe(true);
  });
});
