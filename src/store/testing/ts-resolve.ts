/**
 * For child processes in the store's tests, which run our TypeScript directly with Node's type
 * stripping: our sources import `./x.js` (as NodeNext requires) where only `./x.ts` exists.
 * Loaded with `node --import`.
 */
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith(".") && specifier.endsWith(".js")) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
