/**
 * The rendered config, as the real HAProxy 2.6 reads it: `haproxy -c` through the docker CLI
 * (independent of our own check), and our one-off check container on a broken file.
 */
import type Docker from "dockerode";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker } from "../../src/adapters/docker-engine.js";
import { runCommand } from "../../src/adapters/run-command.js";
import { writePrivateFile } from "../../src/core/private-files.js";
import { ensureDefaultCertificate } from "../../src/router/certificate-files.js";
import { renderRouterConfig, renderWebFiles, type RouterState } from "../../src/router/render-config.js";
import { checkConfig } from "../../src/router/router-container.js";
import { isRouterError } from "../../src/router/router-error.js";
import { removeLabelled, TEST_LABEL } from "../support/router-backends.js";

const socket = "/run/slipway/admin.sock";
const fileName = (name: string): string => `${name.replace(/\W+/g, "-")}.cfg`;

const cases: Array<{ name: string; state: RouterState }> = [
  { name: "no routes", state: { routes: [], adminSocket: socket } },
  { name: "one host-less route", state: { routes: [{ backend: "app_live_web_80", listen: 8080, hosts: [] }], adminSocket: socket } },
  {
    name: "a route per port and a socket owner",
    state: {
      adminSocket: socket,
      adminSocketUid: 1000,
      routes: [
        { backend: "blog.live-web_80", listen: 80, hosts: [] },
        { backend: "api_live_api_9000", listen: 8443, hosts: [] },
      ],
    },
  },
  {
    name: "servers to start with, one disabled (carried over a reload while it drains)",
    state: {
      adminSocket: socket,
      routes: [{ backend: "app", listen: 80, hosts: [], servers: [{ name: "v1-web-1", address: "127.0.0.1:49153", enabled: false }, { name: "v2-web-1", address: "[::1]:49154", enabled: true }] }],
    },
  },
];

describe("router config: haproxy -c", () => {
  let dir: string;
  let docker: Docker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "slipway-router-config-"));
    docker = await connectDocker();
  });

  afterAll(async () => {
    if (docker) await removeLabelled(docker);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases)("HAProxy 2.6 accepts $name, without a warning", async ({ name, state }) => {
    const file = join(dir, fileName(name));
    writeFileSync(file, renderRouterConfig(state));
    const args = ["run", "--rm", "--label", "slipway.test=router", "--network", "none", "-v", `${file}:/cfg:ro`, "haproxy:2.6", "haproxy", "-c", "-f", "/cfg"];
    const result = await runCommand("docker", args, { timeoutMs: 60_000 });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("Configuration file is valid");
    expect(result.exitCode).toBe(0);
  });

  it("HAProxy 2.6 accepts the web frontends with their maps, crt-list and fallback certificate, without a warning", async () => {
    const etc = join(dir, "web-etc");
    const state: RouterState = {
      adminSocket: socket,
      web: { http: 8000, https: 8443 },
      routes: [
        { backend: "shop_live_web_80", listen: 0, hosts: ["shop.example", "www.shop.example"], certificate: "shop_live", hsts: true },
        { backend: "blog_live_web_80", listen: 0, hosts: ["blog.example"] },
        { backend: "api_live_api_9000", listen: 9000, hosts: [] },
      ],
    };
    await ensureDefaultCertificate(etc);
    for (const [file, text] of Object.entries(renderWebFiles(state))) writePrivateFile(join(etc, file), text);
    writeFileSync(join(etc, "haproxy.cfg"), renderRouterConfig(state));
    const args = ["run", "--rm", "--label", "slipway.test=router", "--network", "none", "-v", `${etc}:/usr/local/etc/haproxy:ro`, "haproxy:2.6", "haproxy", "-c", "-f", "/usr/local/etc/haproxy/haproxy.cfg"];
    const result = await runCommand("docker", args, { timeoutMs: 60_000 });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("Configuration file is valid");
    expect(result.exitCode).toBe(0);
  });

  it("our check container rejects a broken file with E_ROUTER_CONFIG and HAProxy's words", async () => {
    writeFileSync(join(dir, "broken.cfg"), "defaults\n    mode http\n    no-such-keyword 1\n");
    const spec = { docker: () => Promise.resolve(docker), name: "unused", image: "haproxy:2.6", etcDir: dir, runDir: dir, labels: TEST_LABEL };
    const failure = await checkConfig(spec, "broken.cfg").catch((error: unknown) => error);
    expect(isRouterError(failure, "E_ROUTER_CONFIG")).toBe(true);
    expect((failure as Error).message).toContain("no-such-keyword");
    await expect(checkConfig(spec, fileName("no routes"))).resolves.toBeUndefined();
  });
});
