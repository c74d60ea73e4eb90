import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import * as fixtures from './support/fixtures.ts';
import { startHarness, waitFor, type Harness } from './support/harness.ts';
import {
  SHOP_KEYS,
  acceptedSequences,
  seedShop,
  sessions,
  storedKeys,
} from './support/scenario.ts';

const WAIT = 15_000;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function startShop(
  options: Parameters<typeof startHarness>[0] = {},
): Promise<Harness> {
  harness = await startHarness({ seed: seedShop, ...options });
  await waitFor(
    'the first snapshot',
    () => harness!.backend.completedSnapshots >= 1,
    WAIT,
  );
  return harness;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const restarts = (object: any) =>
  object?.status.containerStatuses[0].restartCount;

describe('backend outages', () => {
  test('buffers while the backend is down, coalesces per object and resends in order', async () => {
    const { api, backend } = await startShop();
    const [session] = sessions(backend);
    backend.down = true;
    for (let count = 1; count <= 5; count += 1)
      api.apply('Pod', fixtures.pod('shop', 'api-1', { restarts: count }));
    api.apply('Pod', fixtures.pod('shop', 'api-9'));
    api.delete('Pod', 'shop', 'api-2');
    await waitFor(
      'a refused delta push',
      () => backend.requests.some(r => r.path === 'deltas' && r.status === 503),
      WAIT,
    );
    await sleep(300);
    backend.down = false;
    await waitFor(
      'the buffered changes',
      () =>
        restarts(backend.object('Pod', 'shop', 'api-1')) === 5 &&
        backend.object('Pod', 'shop', 'api-9') &&
        !backend.object('Pod', 'shop', 'api-2'),
      WAIT,
    );
    assert.deepEqual(
      sessions(backend),
      [session],
      'no new snapshot was needed',
    );
    const sequences = acceptedSequences(backend, session);
    assert.deepEqual(
      sequences,
      sequences.map((_, index) => index + 1),
    );
    const api1Upserts = backend
      .deltaBatches(session)
      .flatMap(batch => batch.changes)
      .filter(change => change.object.metadata.name === 'api-1');
    assert.ok(
      api1Upserts.length <= 2,
      `five changes to api-1 were sent ${api1Upserts.length} times`,
    );
    assert.equal(
      restarts(api1Upserts.at(-1)!.object),
      5,
      'the latest state was sent last',
    );
  });

  test('a batch whose answer was lost is resent under the same number and taken as a duplicate', async () => {
    const { api, backend } = await startShop();
    backend.inject({ endpoint: 'deltas', dropResponse: true });
    api.apply('Pod', fixtures.pod('shop', 'api-7'));
    await waitFor(
      'a duplicate answer',
      () => backend.requests.filter(r => r.path === 'deltas').length >= 2,
      WAIT,
    );
    api.apply('Pod', fixtures.pod('shop', 'api-8'));
    await waitFor('api-8', () => backend.object('Pod', 'shop', 'api-8'), WAIT);
    const deltas = backend.requests.filter(
      request => request.path === 'deltas',
    );
    assert.equal(deltas[0].body.sequence, deltas[1].body.sequence);
    assert.equal(
      deltas[0].raw.equals(deltas[1].raw),
      true,
      'the same bytes were resent',
    );
    assert.equal(deltas.at(-1)!.body.sequence, deltas[0].body.sequence + 1);
    assert.equal(backend.completedSnapshots, 1);
    assert.ok(!backend.requests.some(request => request.status === 409));
  });

  test('409 starts a new session with a full snapshot', async () => {
    const { api, backend } = await startShop();
    backend.inject({
      endpoint: 'deltas',
      status: 409,
      body: {
        error: { name: 'ResnapshotRequired', message: 'send a full snapshot' },
      },
    });
    api.apply('Pod', fixtures.pod('shop', 'api-4'));
    await waitFor(
      'a second snapshot',
      () => backend.completedSnapshots >= 2,
      WAIT,
    );
    const [first, second] = sessions(backend);
    assert.notEqual(first, second);
    assert.equal(backend.snapshotParts(second)[0].sequence, 1);
    assert.ok(
      backend.object('Pod', 'shop', 'api-4'),
      'the change arrived with the new snapshot',
    );
  });

  test('drops an overflowing buffer and re-snapshots once the backend is back', async () => {
    const { api, backend } = await startShop({ config: { bufferLimit: 3 } });
    backend.down = true;
    for (let index = 0; index < 6; index += 1)
      api.apply('Pod', fixtures.pod('shop', `burst-${index}`));
    await waitFor(
      'the overflow',
      () => harness!.logs.some(line => line.includes('buffer overflow')),
      WAIT,
    );
    await sleep(200);
    backend.down = false;
    await waitFor(
      'a second snapshot',
      () => backend.completedSnapshots >= 2,
      WAIT,
    );
    const second = sessions(backend)[1];
    const burst = backend
      .snapshotParts(second)
      .flatMap(part => part.objects)
      .filter(o => o.metadata.name.startsWith('burst-'));
    assert.equal(burst.length, 6);
    assert.equal(storedKeys(backend).length, SHOP_KEYS.length + 6);
  });

  test('the backend asking for a resnapshot in a heartbeat starts a new session', async () => {
    const { backend } = await startShop();
    await waitFor(
      'a heartbeat naming the session',
      () => backend.heartbeats().some(h => h.snapshotId),
      WAIT,
    );
    backend.session = undefined;
    await waitFor(
      'a second snapshot',
      () => backend.completedSnapshots >= 2,
      WAIT,
    );
    assert.equal(sessions(backend).length, 2);
  });
});

describe('authentication', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  test('a refused token is logged clearly and retried; a rotated token file is picked up', async () => {
    directory = await mkdtemp(join(tmpdir(), 'tollgate-token-'));
    const tokenFile = join(directory, 'token');
    await writeFile(tokenFile, 'stale-token\n');
    harness = await startHarness({
      seed: seedShop,
      config: { token: undefined, tokenFile },
    });
    await waitFor(
      'a clear error',
      () =>
        harness!
          .entries()
          .some(
            e => e.level === 'error' && /refused the agent token/.test(e.msg),
          ),
      WAIT,
    );
    await waitFor(
      'a few refusals',
      () => harness!.backend.requests.filter(r => r.status === 401).length >= 3,
      WAIT,
    );
    assert.equal(harness.running.agent.ready, false);
    await writeFile(tokenFile, 'test-token\n');
    await waitFor(
      'the snapshot with the new token',
      () => harness!.backend.completedSnapshots >= 1,
      WAIT,
    );
    assert.ok(
      harness.backend.requests.every(
        r =>
          r.status === 401 || r.headers.authorization === 'Bearer test-token',
      ),
    );
  });
});

describe('watch failures', () => {
  test('back off, are counted and reported in heartbeats, and recover', async () => {
    const { api, backend, metrics } = await startShop();
    await waitFor('watches to open', () => api.openWatchCount >= 19, WAIT);
    api.failWatchesWith = 500;
    api.closeWatches();
    await waitFor(
      'a heartbeat with the error',
      () =>
        backend
          .heartbeats()
          .some(h =>
            /watch .*injected|watch .*Internal/i.test(h.lastError ?? ''),
          ),
      WAIT,
    );
    const counted = await metrics.registry.getSingleMetricAsString(
      'tollgate_agent_watch_restarts_total',
    );
    assert.match(counted, /reason="error"/);
    api.failWatchesWith = undefined;
    await waitFor('watches to reopen', () => api.openWatchCount >= 19, WAIT);
    api.apply('Pod', fixtures.pod('shop', 'after-errors'));
    await waitFor(
      'the change',
      () => backend.object('Pod', 'shop', 'after-errors'),
      WAIT,
    );
    assert.equal(backend.completedSnapshots, 1);
  });
});

describe('heartbeats and health', () => {
  test('heartbeats carry versions, per-kind counts and the session', async () => {
    const { backend } = await startShop();
    const heartbeat = await waitFor(
      'a full heartbeat',
      () => backend.heartbeats().find(h => h.snapshotId && h.objectCounts.Pod),
      WAIT,
    );
    assert.equal(heartbeat.agentVersion, '0.1.0');
    assert.equal(heartbeat.kubernetesVersion, 'v1.31.2');
    assert.equal(heartbeat.snapshotId, sessions(backend)[0]);
    assert.deepEqual(heartbeat.objectCounts, {
      Namespace: 2,
      Node: 2,
      Deployment: 1,
      Pod: 3,
      Service: 1,
      ConfigMap: 1,
      Event: 1,
      NodeMetrics: 1,
      PodMetrics: 1,
      PolicyReport: 1,
    });
    assert.equal(heartbeat.lastError, undefined);
  });

  test('/healthz answers at once, /readyz after the first snapshot, /metrics describes the agent', async () => {
    harness = await startHarness({
      seed: seedShop,
      beforeStart: backend => (backend.down = true),
    });
    const base = `http://127.0.0.1:${harness.running.server.port}`;
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    await waitFor(
      'a refused heartbeat',
      () => harness!.backend.requests.some(r => r.status === 503),
      WAIT,
    );
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    harness.backend.down = false;
    await waitFor(
      'readiness',
      async () => (await fetch(`${base}/readyz`)).status === 200,
      WAIT,
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /tollgate_agent_objects\{kind="Pod"\} 3/);
    assert.match(
      metrics,
      /tollgate_agent_batches_sent_total\{type="snapshot"\} [1-9]/,
    );
    assert.match(
      metrics,
      /tollgate_agent_push_failures_total\{type="heartbeat",outcome="unavailable"\} [1-9]/,
    );
    assert.match(metrics, /tollgate_agent_buffer_size 0/);
    assert.match(
      metrics,
      /tollgate_agent_last_successful_push_timestamp_seconds \d/,
    );
    assert.match(metrics, /tollgate_agent_ready 1/);
    assert.equal((await fetch(`${base}/nothing`)).status, 404);
  });
});
