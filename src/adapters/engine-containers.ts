/** Containers: their state, start, stop, freeze, health check, logs, and the host ports they hold. */
import type Docker from "dockerode";
import { LABEL } from "../plan/naming.js";
import { followLogs, toSpec } from "./container-details.js";
import { statusCode, type ClaimedPort, type ContainerState, type Engine, type PublishedPort } from "./engine-types.js";
import { runHealthcheck } from "./healthcheck-exec.js";

function toState(info: Docker.ContainerInspectInfo): ContainerState {
  const ports: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
    for (const binding of bindings ?? []) {
      ports.push({ containerPort: Number.parseInt(key, 10), hostIp: binding.HostIp, hostPort: Number.parseInt(binding.HostPort, 10) });
    }
  }
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ""),
    status: info.State.Status,
    ...(info.State.Health?.Status ? { health: info.State.Health.Status } : {}),
    exitCode: info.State.ExitCode,
    restartCount: info.RestartCount,
    labels: info.Config.Labels ?? {},
    ports,
  };
}

/** "8080", or "20001-20003" for a range a service's replicas share. */
function hostPorts(text: string): number[] {
  const [first = Number.NaN, last = first] = text.split("-").map((part) => Number.parseInt(part, 10));
  if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function configuredPorts(info: Docker.ContainerInspectInfo): ClaimedPort[] {
  const labels = info.Config.Labels ?? {};
  // dockerode types PortBindings as `any`.
  const bindings = (info.HostConfig.PortBindings ?? {}) as Record<string, Array<{ HostPort?: string }> | null>;
  return Object.entries(bindings).flatMap(([key, list]) =>
    (list ?? []).flatMap((binding) => hostPorts(binding.HostPort ?? "").map((hostPort) => ({ hostPort, containerPort: Number.parseInt(key, 10), labels }))),
  );
}

/** Docker multiplexes stdout and stderr in 8-byte-framed chunks unless the container has a TTY. */
function demux(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && (buffer[offset] === 1 || buffer[offset] === 2) && buffer.readUInt16BE(offset + 1) === 0) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === buffer.length ? Buffer.concat(parts).toString("utf8") : buffer.toString("utf8");
}

export function containerOperations(get: () => Promise<Docker>): Pick<Engine, "containers" | "startContainers" | "stopContainers" | "pauseContainers" | "unpauseContainers" | "runHealthcheck" | "removeContainers" | "setRestartPolicy" | "claimedPorts" | "logsTail" | "containerSpec" | "logs" | "restartContainers"> {
  return {
    async containers(labels) {
      const api = await get();
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const list = await api.listContainers({ all: true, filters: { label } });
      const states = await Promise.all(
        list.map(async (c) => {
          try {
            return toState(await api.getContainer(c.Id).inspect());
          } catch (error) {
            if (statusCode(error) === 404) return undefined; // removed meanwhile
            throw error;
          }
        }),
      );
      return states.filter((s): s is ContainerState => s !== undefined).sort((a, b) => a.name.localeCompare(b.name));
    },

    async startContainers(ids) {
      const api = await get();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await api.getContainer(id).start();
          } catch (error) {
            if (statusCode(error) !== 304) throw error; // 304: already running
          }
        }),
      );
    },

    async stopContainers(ids, timeoutSeconds) {
      const api = await get();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await api.getContainer(id).stop({ t: timeoutSeconds });
          } catch (error) {
            // 304: already stopped; 404: already gone.
            if (statusCode(error) !== 304 && statusCode(error) !== 404) throw error;
          }
        }),
      );
    },

    async pauseContainers(ids) {
      const api = await get();
      await Promise.all(ids.map((id) => api.getContainer(id).pause()));
    },

    async unpauseContainers(ids) {
      const api = await get();
      await Promise.all(ids.map((id) => api.getContainer(id).unpause()));
    },

    async runHealthcheck(id, timeoutMs) {
      try {
        return await runHealthcheck(await get(), id, timeoutMs);
      } catch (error) {
        if (statusCode(error) === 404) return "the container is gone";
        // 409: paused or restarting; no exec until it runs.
        if (statusCode(error) === 409) return `the container does not run (${(error as Error).message.trim()})`;
        throw error;
      }
    },

    async removeContainers(ids) {
      const api = await get();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await api.getContainer(id).remove({ force: true });
          } catch (error) {
            if (statusCode(error) !== 404) throw error;
          }
        }),
      );
    },

    async setRestartPolicy(ids, policy) {
      const api = await get();
      const RestartPolicy = { Name: policy.name, ...(policy.maximumRetryCount !== undefined ? { MaximumRetryCount: policy.maximumRetryCount } : {}) };
      await Promise.all(ids.map((id) => api.getContainer(id).update({ RestartPolicy })));
    },

    async claimedPorts() {
      const api = await get();
      const list = await api.listContainers({ all: true });
      const running = list.flatMap((c) => (c.State === "running" ? c.Ports.filter((p) => p.PublicPort).map((p) => ({ hostPort: p.PublicPort, containerPort: p.PrivatePort, labels: c.Labels ?? {} })) : []));
      const ours = list.filter((c) => c.Labels?.[LABEL.managed] === "true");
      const configured = await Promise.all(
        ours.map(async (c) => {
          try {
            return configuredPorts(await api.getContainer(c.Id).inspect());
          } catch (error) {
            if (statusCode(error) === 404) return []; // removed meanwhile
            throw error;
          }
        }),
      );
      return [...running, ...configured.flat()];
    },

    async logsTail(id, lines) {
      const api = await get();
      const output = await api.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false });
      return demux(Buffer.from(output)).split("\n").filter((line) => line !== "");
    },

    async containerSpec(id) {
      try {
        return toSpec(await (await get()).getContainer(id).inspect());
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },

    async logs(id, options) {
      await followLogs((await get()).getContainer(id), options);
    },

    async restartContainers(ids, timeoutSeconds) {
      const api = await get();
      await Promise.all(ids.map((id) => api.getContainer(id).restart({ t: timeoutSeconds })));
    },
  };
}
