/**
 * The environment the agent image runs with: the `ENV` lines of the final
 * stage of agent/Dockerfile (MALLOC_ARENA_MAX, NODE_OPTIONS...). The
 * benchmarks run the agent with it, and the chart test checks that the Helm
 * chart sets the same.
 */
import { readFileSync } from 'node:fs';

const DOCKERFILE = new URL('../../Dockerfile', import.meta.url);

export function imageEnvironment(): Record<string, string> {
  const lines = readFileSync(DOCKERFILE, 'utf8').split('\n');
  const finalStage = lines.slice(
    lines.findLastIndex(line => /^FROM\s/.test(line)),
  );
  const env: Record<string, string> = {};
  for (const line of finalStage) {
    const match = /^ENV\s+(.*)$/.exec(line.trim());
    if (!match) continue;
    for (const [, name, value] of match[1].matchAll(
      /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g,
    )) {
      env[name] = value.replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}
