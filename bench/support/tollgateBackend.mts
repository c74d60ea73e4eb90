/**
 * A Tollgate backend process for benchmarks: the real plugin (and nothing
 * else) in a Backstage backend on a fresh PostgreSQL database, called over
 * HTTP with a static service token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { BackendClient } from '../../agent/src/backendClient.ts';
import { MAX_OBJECTS_PER_BATCH } from '../../agent/src/protocol.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BACKEND_MAIN = join(ROOT, 'bench/support/backend.ts');
export const POSTGRES =
  process.env.TOLLGATE_BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';

/** The benchmark's own backend process, on a fresh PostgreSQL database. */
export class TollgateBackend {
  private readonly child: ChildProcess;
  private readonly baseUrl: string;
  private readonly staticToken: string;
  private readonly directory: string;
  private readonly database: string;

  private constructor(
    child: ChildProcess,
    baseUrl: string,
    staticToken: string,
    directory: string,
    database: string,
  ) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.staticToken = staticToken;
    this.directory = directory;
    this.database = database;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/tollgate`;
  }

  /** The plugin's own PostgreSQL database, for seeding it directly. */
  get databaseUrl(): string {
    return `${POSTGRES.replace(/\/$/, '')}/${this.database}`;
  }

  /** The header that authenticates a call as the benchmark's service. */
  get authorization(): string {
    return `Bearer ${this.staticToken}`;
  }

  static async start(): Promise<TollgateBackend> {
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const directory = await mkdtemp(join(tmpdir(), 'tollgate-bench-backend-'));
    const configFile = join(directory, 'app-config.yaml');
    const prefix = `tollgate_bench_${Date.now()}_`;
    await writeFile(configFile, backendConfig(port, token, prefix));
    const child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        BACKEND_MAIN,
        '--config',
        configFile,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const backend = new TollgateBackend(
      child,
      `http://127.0.0.1:${port}`,
      token,
      directory,
      // Backstage names a plugin's database <prefix><pluginId>.
      `${prefix}tollgate`,
    );
    await until(async () => {
      if (child.exitCode !== null)
        throw new Error(`the backend exited with ${child.exitCode}`);
      const response = await fetch(`${backend.apiUrl}/health`).catch(
        () => undefined,
      );
      return response?.ok;
    }, 300_000);
    return backend;
  }

  /** Registers a cluster and issues its agent token, through the REST API. */
  async registerCluster(
    name: string,
  ): Promise<{ cluster: { id: string }; token: string }> {
    const cluster = await this.call('POST', '/v1/clusters', {
      name,
      displayName: name,
      provider: 'aws',
      region: 'eu-west-1',
      environment: 'bench',
    });
    const { token } = await this.call(
      'POST',
      `/v1/clusters/${cluster.id}/agent-token`,
    );
    return { cluster, token };
  }

  /**
   * Posts a full snapshot the way the agent does (its HTTP client, gzip,
   * parts of 5,000 objects); returns the seconds the requests took.
   */
  async pushSnapshot(token: string, objects: unknown[]): Promise<number> {
    const client = new BackendClient({
      baseUrl: this.apiUrl,
      token: { get: async () => token, invalidate: () => {} },
    });
    const snapshotId = randomUUID();
    const parts: string[] = [];
    for (let at = 0; at < objects.length; at += MAX_OBJECTS_PER_BATCH) {
      const final = at + MAX_OBJECTS_PER_BATCH >= objects.length;
      parts.push(
        JSON.stringify({
          snapshotId,
          sequence: parts.length + 1,
          final,
          objects: objects.slice(at, at + MAX_OBJECTS_PER_BATCH),
        }),
      );
    }
    const startedAt = performance.now();
    try {
      for (const part of parts) {
        const outcome = await client.post('snapshots', part);
        if (outcome.kind !== 'ok')
          throw new Error(`snapshot part refused: ${JSON.stringify(outcome)}`);
      }
    } finally {
      client.close();
    }
    return (performance.now() - startedAt) / 1000;
  }

  async call(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        authorization: this.authorization,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Stops the process and drops its database. */
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    if (this.child.exitCode === null) await once(this.child, 'exit');
    await rm(this.directory, { recursive: true, force: true });
    const admin = knexFactory({ client: 'pg', connection: POSTGRES });
    try {
      await admin.raw(`DROP DATABASE IF EXISTS "${this.database}"`);
    } catch (error) {
      console.warn(`could not drop ${this.database}: ${error}`);
    } finally {
      await admin.destroy();
    }
  }
}

/** PostgreSQL, permissions off (allow all), a static service token for the calls above. */
function backendConfig(port: number, token: string, prefix: string): string {
  return JSON.stringify({
    app: { baseUrl: `http://127.0.0.1:${port}` },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'pg', connection: POSTGRES, prefix },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'ingest-bench' } },
        ],
      },
    },
    permission: { enabled: false },
  });
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export async function until<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
