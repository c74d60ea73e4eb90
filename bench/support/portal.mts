/**
 * The real portal for benchmarks: the built frontend (packages/app/dist)
 * served by the full backend (packages/backend, with app-config.yaml), on a
 * free port and on fresh PostgreSQL databases (one per plugin, all named
 * with a prefix of their own) that `stop()` drops.
 *
 * The backend runs as `yarn workspace backend start` runs it for CI's
 * browser tests (`backstage-cli package start` spawns exactly this node
 * command, NODE_ENV=development), minus that command's file watcher: it
 * restarts the backend whenever a source file in the tree changes, which
 * would end a benchmark whenever someone edits the code it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import knexFactory from 'knex';
import { freePort, POSTGRES, until } from './tollgateBackend.mts';

const ROOT = new URL('../../', import.meta.url).pathname;
const APP_DIST_INDEX = join(ROOT, 'packages/app/dist/index.html');
/** What the app bundle is built from. */
const APP_SOURCES = [
  'packages/app/src',
  'packages/app/package.json',
  'plugins/tollgate/src',
  'plugins/tollgate/package.json',
  'plugins/tollgate-common/src',
];

/**
 * Builds the app (`yarn workspace app build`) when packages/app/dist is
 * missing or older than its sources; returns whether it did.
 */
export async function ensureAppBuilt(): Promise<boolean> {
  const built = await stat(APP_DIST_INDEX).catch(() => undefined);
  if (built) {
    let newest = 0;
    for (const source of APP_SOURCES) {
      newest = Math.max(newest, await newestChange(join(ROOT, source)));
    }
    if (newest <= built.mtimeMs) return false;
  }
  console.log('building the app (yarn workspace app build)');
  const child = spawn('yarn', ['workspace', 'app', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = await once(child, 'exit');
  if (code !== 0)
    throw new Error(`yarn workspace app build exited with ${code}`);
  return true;
}

async function newestChange(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (/\.test\.tsx?$/.test(entry)) continue; // not bundled
    newest = Math.max(newest, await newestChange(join(path, entry)));
  }
  return newest;
}

export class Portal {
  private readonly child: ChildProcess;
  private readonly directory: string;
  private readonly logFile: string;
  private readonly prefix: string;
  /** Where the browser opens the portal (the backend serves the app). */
  readonly baseUrl: string;

  private constructor(
    child: ChildProcess,
    baseUrl: string,
    directory: string,
    prefix: string,
  ) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.directory = directory;
    this.logFile = join(directory, 'backend.log');
    this.prefix = prefix;
  }

  /** The start of the names of all its databases. */
  get databasePrefix(): string {
    return this.prefix;
  }

  /** A plugin's own PostgreSQL database, for seeding it directly. */
  databaseUrl(pluginId: string): string {
    return `${POSTGRES.replace(/\/$/, '')}/${this.prefix}${pluginId}`;
  }

  /** The last lines the backend logged, to explain a failure. */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return ''; // stopped meanwhile
    }
  }

  /** Starts the backend and waits until the Tollgate plugin answers. */
  static async start(): Promise<Portal> {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const directory = await mkdtemp(join(tmpdir(), 'tollgate-bench-portal-'));
    const prefix = `bench_page_${randomBytes(4).toString('hex')}_`;
    const configFile = join(directory, 'app-config.bench.yaml');
    await writeFile(configFile, portalConfig(baseUrl, port, prefix));
    const log = openSync(join(directory, 'backend.log'), 'a');
    // Its own process group, so that stop() ends all of it.
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        'src/index.ts',
        '--config',
        join(ROOT, 'app-config.yaml'),
        '--config',
        configFile,
      ],
      {
        cwd: join(ROOT, 'packages/backend'),
        detached: true,
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          NODE_ENV: 'development',
          ESBK_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
        },
      },
    );
    closeSync(log);
    const portal = new Portal(child, baseUrl, directory, prefix);
    try {
      await until(async () => {
        if (child.exitCode !== null)
          throw new Error(`the backend exited with ${child.exitCode}`);
        const response = await fetch(`${baseUrl}/api/tollgate/health`).catch(
          () => undefined,
        );
        return response?.ok;
      }, 600_000);
    } catch (error) {
      console.error(portal.logTail());
      await portal.stop();
      throw error;
    }
    return portal;
  }

  /**
   * Stops the backend's process group, drops its databases, removes its
   * files. Once: later calls (a signal handler and a `finally`) wait for it.
   */
  stop(): Promise<void> {
    this.stopped ??= this.stopOnce();
    return this.stopped;
  }

  private stopped?: Promise<void>;

  private async stopOnce(): Promise<void> {
    const group = -this.child.pid!;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      signal(group, 'SIGTERM');
      const exited = once(this.child, 'exit');
      await Promise.race([exited, sleep(30_000, undefined, { ref: false })]);
    }
    // Whatever of the group is left (nothing, after an orderly shutdown).
    signal(group, 'SIGKILL');
    await rm(this.directory, { recursive: true, force: true });
    await dropDatabases(this.prefix);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Drops every database whose name starts with the prefix. */
export async function dropDatabases(prefix: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: POSTGRES });
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
      [prefix],
    );
    for (const { datname } of rows as { datname: string }[]) {
      await admin
        .raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
        .catch(error => console.warn(`could not drop ${datname}: ${error}`));
    }
  } catch (error) {
    console.warn(`could not list the ${prefix}* databases: ${error}`);
  } finally {
    await admin.destroy();
  }
}

/**
 * On top of app-config.yaml: this port, PostgreSQL with fresh databases,
 * and no demo clusters (the benchmark seeds its own fleet).
 */
function portalConfig(baseUrl: string, port: number, prefix: string): string {
  return JSON.stringify({
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: baseUrl },
      database: { client: 'pg', connection: POSTGRES, prefix },
    },
    tollgate: { clusters: [] },
  });
}
