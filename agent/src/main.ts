import { setFlagsFromString } from 'node:v8';
import { ConfigError, USAGE, parseConfig, wantsHelp } from './config.ts';
import { slimClientNode } from './kube/slimClientNode.ts';
import { createLogger } from './log.ts';

// The agent is a background process whose memory, not speed, is what a
// cluster budgets for: its heap grows by 20% at a time instead of up to 4x
// (V8's default, which left RSS at about 160 MiB 5 s after a 10k-pod
// snapshot, against about 120). This replaced --optimize-for-size, which
// kept RSS as low but also held the young generation at its minimum, so
// that nearly all a snapshot allocated was promoted and collected again by
// full GCs: about 6 s of CPU against 3.3 (bench/README.md). The young
// generation's size is NODE_OPTIONS=--max-semi-space-size=4, set by the
// image and the Helm chart, since it cannot change once V8 has started;
// this flag is read whenever the heap grows, so setting it here works.
setFlagsFromString('--heap-growing-percent=20');
// Before anything loads @kubernetes/client-node, hence app.ts imported here.
slimClientNode();
const { launch } = await import('./app.ts');

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', error => {
    log.error('unhandled rejection', { error });
    process.exit(1);
  });
  let running;
  try {
    running = await launch(config, log);
  } catch (error) {
    log.error('the agent could not start', { error });
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    running.stop().then(
      () => process.exit(0),
      error => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

await main();
