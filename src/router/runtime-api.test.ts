import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isRouterError } from "./router-error.js";
import { adminState, parseInfo, parseServersState, parseStat, runtimeCommand } from "./runtime-api.js";

// Answers captured from HAProxy 2.6.12 (Debian bookworm).
const SERVERS_STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be_a 1 s1 127.0.0.1 2 0 1 1 0 1 0 0 0 0 0 0 - 32768 - 0 0 - - 0
3 be_a 2 n1 127.0.0.1 2 8 1 1 1 1 0 2 0 0 0 0 - 18181 - 0 0 - - 0
3 be_a 3 v6 ::1 0 1 1 1 41 1 0 0 0 0 0 0 - 18181 - 0 0 - - 0

`;

const STAT = `# pxname,svname,qcur,qmax,scur,smax,slim,stot
be_a,s1,0,0,2,5,,200
be_a,n1,1,1,0,20,,20

`;

describe("runtime API parsers", () => {
  it("reads show servers state", () => {
    expect(parseServersState(SERVERS_STATE)).toEqual([
      { backend: "be_a", name: "s1", ip: "127.0.0.1", port: 32768, operational: 2, admin: 0 },
      { backend: "be_a", name: "n1", ip: "127.0.0.1", port: 18181, operational: 2, admin: 8 },
      { backend: "be_a", name: "v6", ip: "::1", port: 18181, operational: 0, admin: 1 },
    ]);
  });

  it("reads an empty backend", () => {
    expect(parseServersState(SERVERS_STATE.split("\n").slice(0, 2).join("\n"))).toEqual([]);
  });

  it("rejects an error message in place of a state dump", () => {
    expect(() => parseServersState("Can't find backend.\n\n")).toThrow(/Can't find backend/);
  });

  it.each([
    { name: "ready", admin: 0, state: "ready" },
    { name: "forced drain", admin: 0x08, state: "drain" },
    { name: "forced maintenance (a new dynamic server)", admin: 0x01, state: "maint" },
    { name: "disabled in the config", admin: 0x04, state: "maint" },
    { name: "maintenance wins over drain", admin: 0x09, state: "maint" },
  ])("maps admin state $name", ({ admin, state }) => {
    expect(adminState(admin)).toBe(state);
  });

  it("reads show info", () => {
    const info = parseInfo("Name: HAProxy\nVersion: 2.6.12-1+deb12u4\nProcess_num: 1\nPid: 9\nUptime: 0d 0h00m04s\nUptime_sec: 4\n\n");
    expect([info.Pid, info.Uptime_sec, info.Process_num, info.Uptime]).toEqual(["9", "4", "1", "0d 0h00m04s"]);
  });

  it("reads show stat", () => {
    expect(parseStat(STAT).map((r) => [r.pxname, r.svname, r.qcur, r.scur])).toEqual([
      ["be_a", "s1", "0", "2"],
      ["be_a", "n1", "1", "0"],
    ]);
  });
});

describe("runtimeCommand", () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  const dir = mkdtempSync(join(tmpdir(), "slipway-runtime-"));
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  const listen = (onCommand: (command: string, reply: (text: string) => void) => void): Promise<string> => {
    const path = join(dir, `s${Math.random().toString(36).slice(2)}.sock`);
    // Half-open like HAProxy: our end of writing must not end its answer.
    server = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.push(socket);
      let input = "";
      socket.on("data", (chunk: Buffer) => {
        input += chunk.toString("utf8");
        if (input.endsWith("\n")) onCommand(input, (text) => socket.end(text));
      });
    });
    return new Promise((resolve) => server?.listen(path, () => resolve(path)));
  };

  it("sends one line and reads until the server closes", async () => {
    const path = await listen((command, reply) => reply(`got ${JSON.stringify(command)}\nsecond line\n`));
    expect(await runtimeCommand(path, "show info")).toBe('got "show info\\n"\nsecond line\n');
  });

  it("times out on a server that never answers", async () => {
    const path = await listen(() => undefined);
    await expect(runtimeCommand(path, "show info", { timeoutMs: 100 })).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_TIMEOUT"));
  });

  it("says the router is unavailable when nothing listens", async () => {
    await expect(runtimeCommand(join(dir, "absent.sock"), "show info")).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_UNAVAILABLE"));
  });

  it("refuses a command that would smuggle a second line", async () => {
    await expect(runtimeCommand(join(dir, "absent.sock"), "show info\ndel server a/b")).rejects.toSatisfy((e) => isRouterError(e, "E_ROUTER_CONFIG"));
  });

  it("leaves no socket file behind", () => {
    rmSync(dir, { recursive: true, force: true });
  });
});
