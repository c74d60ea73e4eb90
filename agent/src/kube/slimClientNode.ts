import { registerHooks } from 'node:module';

const CONFIG_MODULE = '/@kubernetes/client-node/dist/config.js';
const SLIM_GEN_INDEX = new URL('./clientNodeGen.ts', import.meta.url).href;

/**
 * Keeps @kubernetes/client-node's generated API and model classes out of the
 * agent process. KubeConfig's module (dist/config.js) imports the generated
 * index (dist/gen/index.js) only for `createConfiguration` and
 * `ServerConfiguration`, which `makeApiClient` uses; but that index also
 * loads every generated API and model: about 22 MB of JavaScript whose source
 * V8 keeps on the heap, 45 MiB of RSS and half a second of start-up, for code
 * the agent never calls (it makes its own GETs). This hook hands config.js
 * the same index without those classes (clientNodeGen.ts), so KubeConfig, its
 * auth providers and Watch stay client-node's own code.
 *
 * Must run before anything imports client-node, and applies only to code
 * that imports its modules directly (dist/config.js, dist/watch.js): the
 * package index loads the generated classes itself.
 */
export function slimClientNode(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (
        specifier === './gen/index.js' &&
        context.parentURL?.endsWith(CONFIG_MODULE)
      ) {
        return { url: SLIM_GEN_INDEX, shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}
