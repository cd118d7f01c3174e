/**
 * A project fetched over SSH with the deploy key Slipway made for it, against a real sshd on a
 * loopback port (Debian's openssh-server, run here as a throwaway daemon with its own host key
 * and authorized_keys): refused until the public half is authorized, then fetched; the private
 * key never in an answer, an error, a log line or git's arguments.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { connect } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/adapters/run-command.js";
import { createApp, type App } from "../../src/app/index.js";
import { addGitProject, checkoutFor, projectSecrets } from "../../src/app/git-projects.js";
import { gitEnvironment, redactGitOutput, withoutUserInfo } from "../../src/adapters/git-mirror.js";
import { gitRemote, type GitRemote } from "../support/git-remote.js";
import { freePort } from "../support/hello-repo.js";

let root: string;
let sshd: ChildProcess;
let port: number;
let remote: GitRemote;
let app: App;
const authorized = (): string => join(root, "authorized_keys");

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "slipway-sshd-"));
  port = await freePort();
  await runCommand("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(root, "host_key")]);
  writeFileSync(authorized(), "");
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${join(root, "host_key")}`,
    `AuthorizedKeysFile ${authorized()}`,
    `PidFile ${join(root, "sshd.pid")}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "",
  ].join("\n");
  writeFileSync(join(root, "sshd_config"), config);
  // sshd insists on its privilege-separation directory.
  await runCommand("mkdir", ["-p", "/run/sshd"]);
  sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(root, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => resolve(true)).on("error", () => resolve(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 500).unref();
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  remote = await gitRemote({ "slipway.yml": "project: keyed\n", "docker-compose.yml": "services:\n  web:\n    image: busybox\n" });
  app = createApp({ env: { ...process.env, SLIPWAY_HOME: join(root, "home"), SLIPWAY_MASTER_KEY: "a-test-master-key-of-32-characters-or-more" }, identity: { pid: process.pid, hostname: hostname() } });
});

afterAll(async () => {
  sshd?.kill("SIGTERM");
  await app?.[Symbol.asyncDispose]();
  await remote?.[Symbol.asyncDispose]();
  rmSync(root, { recursive: true, force: true });
});

describe("a deploy key", () => {
  it("is made for an SSH URL, refused until authorized, then fetches; its private half is never shown", async () => {
    const url = `ssh://root@127.0.0.1:${port}${remote.url}`;
    const added = await addGitProject(app, { name: "keyed", url, actor: "test" });
    expect(added.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ slipway-keyed$/);
    expect(added.fetchError).toMatch(/could not fetch ssh:\/\/root@127\.0\.0\.1:\d+\/.*Permission denied/s);
    expect(added.environments).toEqual([]);

    writeFileSync(authorized(), `${added.publicKey}\n`);
    const row = await (await app.deps()).store.project("keyed");
    const checkout = await checkoutFor(app, { ...row!, git: row!.git! }, {});
    expect(readFileSync(join(checkout.dir, "slipway.yml"), "utf8")).toBe("project: keyed\n");
    expect(((await (await app.deps()).store.project("keyed"))?.environments)).toEqual(["production"]);

    const secrets = await projectSecrets(app, row!.id);
    const privateKey = secrets?.sshKey as string;
    expect(privateKey).toContain("BEGIN OPENSSH PRIVATE KEY");
    expect(JSON.stringify(added)).not.toContain(privateKey.split("\n")[1]);
    // No key file is left behind once git is done with it.
    expect(readdirSync(app.paths.gitScratch).filter((f) => f.startsWith("key-"))).toEqual([]);
  });
});

describe("git's environment for a remote", () => {
  it("carries a token in its environment, never its arguments, and hides it in git's output", () => {
    const { env, cleanup } = gitEnvironment({ PATH: "/usr/bin" }, "https://git.example.com/shop.git", { token: "s3cr3t-token" }, join(tmpdir(), "unused"));
    cleanup();
    expect(env).toMatchObject({ GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.extraHeader" });
    expect(env.GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${Buffer.from("x-access-token:s3cr3t-token").toString("base64")}`);
    expect(redactGitOutput(`fatal: unable to access 'https://me:s3cr3t-token@git.example.com/': 403 ${Buffer.from("x-access-token:s3cr3t-token").toString("base64")}`, { token: "s3cr3t-token" })).toBe(
      "fatal: unable to access 'https://***@git.example.com/': 403 ***",
    );
    expect(withoutUserInfo("https://me:pw@git.example.com/shop.git")).toBe("https://***@git.example.com/shop.git");
    expect(withoutUserInfo("git@github.com:me/shop.git")).toBe("git@github.com:me/shop.git");
    expect(withoutUserInfo("ssh://git:pw@git.example.com/shop.git")).toBe("ssh://git:***@git.example.com/shop.git");
    expect(withoutUserInfo("ssh://git@git.example.com/shop.git")).toBe("ssh://git@git.example.com/shop.git");
  });

  it("sends no token to a URL that is not https", () => {
    const { env } = gitEnvironment({}, "ssh://git@git.example.com/shop.git", { token: "t" }, join(tmpdir(), "unused"));
    expect(env.GIT_CONFIG_COUNT).toBeUndefined();
  });
});
