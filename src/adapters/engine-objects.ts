/** Networks and volumes: what an environment's releases share, created once, removed with it. */
import type Docker from "dockerode";
import { SlipwayError } from "../core/errors.js";
import { ADDRESS_POOL_ADVICE, addressPoolsExhausted } from "./address-pools.js";
import { statusCode, type Engine } from "./engine-types.js";

export function objectOperations(get: () => Promise<Docker>): Pick<Engine, "ensureNetwork" | "ensureVolume" | "removeNetwork" | "removeVolume" | "removeNetworks" | "volumes"> {
  return {
    async ensureNetwork(name, labels) {
      const api = await get();
      try {
        await api.getNetwork(name).inspect();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        try {
          await api.createNetwork({ Name: name, Driver: "bridge", Labels: { ...labels }, CheckDuplicate: true });
        } catch (creating) {
          if (addressPoolsExhausted((creating as Error).message)) throw new SlipwayError("E_START_FAILED", `could not create the network ${name}: ${ADDRESS_POOL_ADVICE}`, { cause: creating });
          throw creating;
        }
      }
    },

    async ensureVolume(name, labels) {
      const api = await get();
      try {
        await api.getVolume(name).inspect();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        await api.createVolume({ Name: name, Labels: { ...labels } });
      }
    },

    async removeNetwork(name) {
      try {
        await (await get()).getNetwork(name).remove();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async removeVolume(name) {
      try {
        await (await get()).getVolume(name).remove();
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async removeNetworks(labels) {
      const api = await get();
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const networks = await api.listNetworks({ filters: { label } });
      for (const network of networks) {
        try {
          await api.getNetwork(network.Id).remove();
        } catch (error) {
          if (statusCode(error) !== 404) throw error;
        }
      }
      return networks.map((n) => n.Name);
    },

    async volumes(labels) {
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const { Volumes } = await (await get()).listVolumes({ filters: { label } });
      return (Volumes ?? []).map((v) => v.Name).sort();
    },
  };
}
