import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, afterEach, before, test } from 'node:test';
import { FakeBackend } from './support/fakeBackend.ts';
import { FakeKubeApi } from './support/fakeKubeApi.ts';
import * as fixtures from './support/fixtures.ts';
import { waitFor } from './support/harness.ts';
import { seedShop } from './support/scenario.ts';

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const WAIT = 60_000;
let directory: string;
let api: FakeKubeApi;
let backend: FakeBackend;
let child: ChildProcess | undefined;

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tollgate-sigterm-'));
});

after(async () => {
  await rm(directory, { recursive: true, force: true });
});

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  await backend?.close();
});

/** Runs the real entry point as a process, as the container does. */
async function startAgentProcess(env: Record<string, string>) {
  api = await FakeKubeApi.start();
  seedShop(api);
  backend = await FakeBackend.start();
  const kubeconfig = join(directory, 'kubeconfig');
  await writeFile(kubeconfig, api.kubeConfigYaml());
  child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      HOME: directory,
      KUBECONFIG: kubeconfig,
      TOLLGATE_BACKEND_URL: backend.url,
      TOLLGATE_CLUSTER_ID: 'sigterm-test',
      TOLLGATE_TOKEN: 'test-token',
      TOLLGATE_PORT: '0',
      TOLLGATE_HEARTBEAT_INTERVAL: '200ms',
      // Nothing is sent between snapshots until shutdown flushes.
      TOLLGATE_BATCH_INTERVAL: '1h',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const entries: Array<Record<string, any>> = [];
  createInterface(child.stdout!).on('line', line =>
    entries.push(JSON.parse(line)),
  );
  const started = await waitFor(
    'the agent to start',
    () => entries.find(e => e.msg === 'tollgate agent starting'),
    WAIT,
  );
  await waitFor(
    'the first snapshot',
    () => backend.completedSnapshots >= 1,
    WAIT,
  );
  await waitFor('watches to open', () => api.openWatchCount >= 19, WAIT);
  return { entries, metricsUrl: `http://127.0.0.1:${started.port}/metrics` };
}

async function bufferSize(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^tollgate_agent_buffer_size (\d+)/m.exec(text)?.[1] ?? -1);
}

test('SIGTERM stops the watches, flushes the buffer and exits 0', async () => {
  const { entries, metricsUrl } = await startAgentProcess({});
  api.apply('Pod', fixtures.pod('shop', 'api-term'));
  await waitFor(
    'the change to be buffered',
    async () => (await bufferSize(metricsUrl)) === 1,
    WAIT,
  );
  assert.equal(backend.object('Pod', 'shop', 'api-term'), undefined);
  child!.kill('SIGTERM');
  const [code] = await once(child!, 'exit');
  assert.equal(code, 0);
  assert.ok(
    backend.object('Pod', 'shop', 'api-term'),
    'the buffered change was sent before exiting',
  );
  assert.deepEqual(
    entries.find(e => e.msg === 'agent stopped'),
    {
      ...entries.find(e => e.msg === 'agent stopped'),
      flushed: true,
      unsent: 0,
    },
  );
  await waitFor('watches to close', () => api.openWatchCount === 0, WAIT);
});

test('SIGTERM with the backend away gives up after the shutdown timeout and still exits 0', async () => {
  const { entries, metricsUrl } = await startAgentProcess({
    TOLLGATE_SHUTDOWN_TIMEOUT: '1s',
  });
  backend.down = true;
  api.apply('Pod', fixtures.pod('shop', 'api-term'));
  await waitFor(
    'the change to be buffered',
    async () => (await bufferSize(metricsUrl)) === 1,
    WAIT,
  );
  const stoppingAt = Date.now();
  child!.kill('SIGTERM');
  const [code] = await once(child!, 'exit');
  assert.equal(code, 0);
  assert.ok(Date.now() - stoppingAt < 10_000, 'shutdown is bounded');
  assert.equal(entries.find(e => e.msg === 'agent stopped')?.flushed, false);
});
