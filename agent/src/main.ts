import { setFlagsFromString } from 'node:v8';
import { launch } from './app.ts';
import { ConfigError, USAGE, parseConfig, wantsHelp } from './config.ts';
import { createLogger } from './log.ts';

// The agent is a background process whose memory, not speed, is what a
// cluster budgets for: favour a small heap (smaller growth steps, earlier
// collections). At 10k pods this took RSS after the first snapshot from
// about 330 to about 160 MiB (bench/agent/RESULTS.md). The flag is read
// when the collector runs, so setting it at start-up takes effect.
setFlagsFromString('--optimize-for-size');

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
