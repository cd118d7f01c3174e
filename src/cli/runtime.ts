/** The long-lived parts a deploy needs (store, engine, router), opened once and closed after. */
import { connectDocker } from "../adapters/docker-engine.js";
import { systemClock } from "../core/clock.js";
import type { DeployDeps } from "../pipeline/deploy-run.js";
import { silentEvents } from "../pipeline/events.js";
import { homePaths } from "../pipeline/paths.js";
import { createRouter } from "../router/router.js";
import { openStore, slipwayHome } from "../store/store.js";
import type { Sealer } from "../secrets/cipher.js";
import { masterSealer } from "../secrets/master-key.js";
import type { CommandContext } from "./context.js";

export interface Runtime extends AsyncDisposable {
  readonly deps: DeployDeps;
}

export async function openRuntime(ctx: CommandContext): Promise<Runtime> {
  const paths = homePaths(slipwayHome(ctx.io.env));
  const store = await openStore({ home: paths.home });
  const router = createRouter({
    docker: connectDocker,
    home: paths.router,
    ...(ctx.io.env.SLIPWAY_ROUTER_IMAGE ? { image: ctx.io.env.SLIPWAY_ROUTER_IMAGE } : {}),
    ...(ctx.io.env.SLIPWAY_ROUTER_NAME ? { containerName: ctx.io.env.SLIPWAY_ROUTER_NAME } : {}),
  });
  let sealer: Sealer | undefined;
  return {
    deps: {
      git: ctx.git,
      compose: ctx.compose,
      engine: ctx.engine,
      router,
      store,
      events: silentEvents,
      clock: systemClock,
      paths,
      redact: (text) => ctx.redactor.apply(text),
      sealer: () => (sealer ??= masterSealer(paths.home, ctx.io.env, { create: true }) as Sealer),
    },
    [Symbol.asyncDispose]: () => store[Symbol.asyncDispose](),
  };
}
