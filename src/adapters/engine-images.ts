/** Images: what a release runs, found by reference or label, tagged, removed. */
import type Docker from "dockerode";
import { statusCode, type Engine } from "./engine-types.js";

export function imageOperations(get: () => Promise<Docker>): Pick<Engine, "images" | "tagImage" | "removeImage" | "image"> {
  return {
    async images(labels) {
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const list = await (await get()).listImages({ filters: { label } });
      return list.map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>"), size: i.Size }));
    },

    async tagImage(id, reference) {
      const at = reference.lastIndexOf(":");
      await (await get()).getImage(id).tag({ repo: reference.slice(0, at), tag: reference.slice(at + 1) });
    },

    async removeImage(reference) {
      try {
        await (await get()).getImage(reference).remove({ noprune: false });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },

    async image(reference) {
      try {
        const info = await (await get()).getImage(reference).inspect();
        const words = (value: string | string[] | undefined): string[] | undefined => (value === undefined || value === null ? undefined : Array.isArray(value) ? value : [value]);
        const entrypoint = words(info.Config.Entrypoint);
        const command = words(info.Config.Cmd);
        return { id: info.Id, labels: info.Config.Labels ?? {}, env: info.Config.Env ?? [], ...(entrypoint ? { entrypoint } : {}), ...(command ? { command } : {}) };
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },
  };
}
