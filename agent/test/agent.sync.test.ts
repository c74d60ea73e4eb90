import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import * as fixtures from './support/fixtures.ts';
import { startHarness, waitFor, type Harness } from './support/harness.ts';
import {
  SHOP_KEYS,
  acceptedSequences,
  listRequests,
  seedShop,
  sessions,
  storedKeys,
  watchRequests,
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

describe('listing and snapshots', () => {
  test('lists every resource in pages and sends one snapshot matching the cluster', async () => {
    const { api, backend } = await startShop();
    assert.deepEqual(storedKeys(backend), SHOP_KEYS);

    const podLists = listRequests(api, '/api/v1/pods');
    assert.equal(podLists.length, 2, 'three pods in pages of two');
    assert.ok(podLists.every(request => request.query.get('limit') === '2'));
    assert.equal(podLists[0].query.get('continue'), null);
    assert.ok(podLists[1].query.get('continue'));

    const eventLists = listRequests(api, '/api/v1/events');
    assert.equal(eventLists[0].query.get('fieldSelector'), 'type=Warning');
    assert.ok(api.requests.every(request => request.method === 'GET'));
    assert.ok(
      !api.requests.some(request => request.path.includes('secrets')),
      'Secrets are never requested',
    );

    const parts = backend.snapshotParts();
    assert.equal(new Set(parts.map(part => part.snapshotId)).size, 1);
    assert.deepEqual(
      parts.map(part => part.sequence),
      parts.map((_, index) => index + 1),
    );
    assert.deepEqual(
      parts.map(part => part.final),
      parts.map((_, index) => index === parts.length - 1),
    );
  });

  test('watches from the list resourceVersion with bookmarks, and never watches metrics', async () => {
    const { api } = await startShop();
    await waitFor(
      'pod watch',
      () => watchRequests(api, '/api/v1/pods').length > 0,
      WAIT,
    );
    const podList = listRequests(api, '/api/v1/pods')[0];
    const podWatch = watchRequests(api, '/api/v1/pods')[0];
    assert.equal(podWatch.query.get('allowWatchBookmarks'), 'true');
    assert.ok(Number(podWatch.query.get('resourceVersion')) > 0);
    assert.ok(Number(podWatch.query.get('timeoutSeconds')) >= 300);
    assert.equal(
      podList.query.get('resourceVersion'),
      null,
      'lists read the latest state',
    );
    assert.equal(
      watchRequests(api, '/apis/metrics.k8s.io/v1beta1/pods').length,
      0,
    );
    assert.equal(
      watchRequests(api, '/apis/metrics.k8s.io/v1beta1/nodes').length,
      0,
    );
  });

  test('splits snapshots into parts of at most 5000 objects', async () => {
    const accounts = Array.from({ length: 10_001 }, (_, index) => ({
      metadata: { name: `sa-${index}`, namespace: 'bulk' },
    }));
    harness = await startHarness({
      seed: api => api.seed('ServiceAccount', accounts),
      config: { listPageSize: 500 },
    });
    await waitFor(
      'the snapshot',
      () => harness!.backend.completedSnapshots >= 1,
      60_000,
    );
    const parts = harness.backend.snapshotParts();
    assert.deepEqual(
      parts.map(part => [part.sequence, part.objects.length, part.final]),
      [
        [1, 5000, false],
        [2, 5000, false],
        [3, 1, true],
      ],
    );
    assert.equal(harness.backend.objects.size, 10_001);
  });

  test('keeps each part within the byte budget', async () => {
    const { backend } = await startShop({ config: { maxBatchBytes: 4000 } });
    const parts = backend.snapshotParts();
    assert.ok(parts.length > 2, `expected several parts, got ${parts.length}`);
    for (const part of parts.slice(0, -1)) {
      const sizes = part.objects.map(
        (object: unknown) => JSON.stringify(object).length,
      );
      const total = sizes.reduce(
        (sum: number, size: number) => sum + size + 1,
        0,
      );
      assert.ok(
        total <= 4000 || part.objects.length === 1,
        `part ${part.sequence} has ${total} bytes`,
      );
    }
    assert.deepEqual(storedKeys(backend), SHOP_KEYS);
  });

  test('restarts a listing whose continue token expired', async () => {
    harness = await startHarness({
      seed: api => {
        seedShop(api);
        api.expireNextContinue = true;
      },
    });
    await waitFor(
      'the snapshot',
      () => harness!.backend.completedSnapshots >= 1,
      WAIT,
    );
    assert.deepEqual(storedKeys(harness.backend), SHOP_KEYS);
    // Pods are the first resource with more than one page, so theirs was the expired token.
    const podPages = listRequests(harness.api, '/api/v1/pods').map(
      request => request.query.get('continue') ?? 'first',
    );
    assert.deepEqual(
      podPages.map(page => (page === 'first' ? page : 'next')),
      ['first', 'next', 'first', 'next'],
    );
    assert.equal(listRequests(harness.api, '/api/v1/services').length, 1);
  });
});

describe('watch events', () => {
  test('become deltas with increasing sequence numbers in the same session', async () => {
    const { api, backend } = await startShop();
    api.apply('Pod', fixtures.pod('shop', 'api-4'));
    api.apply(
      'Deployment',
      fixtures.deployment('shop', 'api', 'registry.example.com/shop/api:2.0.0'),
    );
    api.delete('Pod', 'shop', 'api-1');
    await waitFor(
      'the changes to arrive',
      () =>
        backend.object('Pod', 'shop', 'api-4') &&
        !backend.object('Pod', 'shop', 'api-1') &&
        backend
          .object('Deployment', 'shop', 'api')
          ?.spec.template.spec.containers[0].image.endsWith('2.0.0'),
      WAIT,
    );
    const [session] = sessions(backend);
    assert.equal(sessions(backend).length, 1);
    const sequences = acceptedSequences(backend, session);
    assert.deepEqual(
      sequences,
      sequences.map((_, index) => index + 1),
      'contiguous from 1',
    );
    assert.ok(backend.deltaBatches(session).length >= 1);
    const deleted = backend
      .deltaBatches(session)
      .flatMap(batch => batch.changes)
      .find(change => change.type === 'delete');
    assert.deepEqual(deleted.object.metadata, {
      name: 'api-1',
      namespace: 'shop',
      uid: deleted.object.metadata.uid,
    });
    assert.equal(
      deleted.object.spec,
      undefined,
      'a delete carries only the identity',
    );
  });

  test('changes the projection ignores produce no delta', async () => {
    const { api, backend } = await startShop();
    api.apply('Pod', fixtures.pod('shop', 'api-2', { podIP: '10.7.7.7' }));
    api.apply('Node', fixtures.node('node-a', '2024-05-01T11:00:00Z'));
    api.apply('Pod', fixtures.pod('shop', 'marker'));
    await waitFor(
      'the marker pod',
      () => backend.object('Pod', 'shop', 'marker'),
      WAIT,
    );
    const changed = backend
      .deltaBatches()
      .flatMap(batch =>
        batch.changes.map((change: any) => change.object.metadata.name),
      );
    assert.deepEqual(changed, ['marker']);
  });

  test('Normal events are filtered by the API server and never sent', async () => {
    const { api, backend } = await startShop();
    api.apply('Event', fixtures.normalEvent('shop', 'later.normal'));
    api.apply(
      'Event',
      fixtures.warningEvent('shop', 'later.warn', 'FailedScheduling'),
    );
    await waitFor(
      'the warning event',
      () => backend.object('Event', 'shop', 'later.warn'),
      WAIT,
    );
    assert.equal(backend.object('Event', 'shop', 'later.normal'), undefined);
    assert.equal(
      backend.object('Event', 'shop', 'later.warn').reason,
      'FailedScheduling',
    );
  });

  test('a closed watch resumes from the last BOOKMARK without a new snapshot', async () => {
    const { api, backend } = await startShop();
    await waitFor('watches to open', () => api.openWatchCount >= 19, WAIT);
    api.apply('Pod', fixtures.pod('shop', 'api-5'));
    await waitFor('api-5', () => backend.object('Pod', 'shop', 'api-5'), WAIT);
    const nodeWatchesBefore = watchRequests(api, '/api/v1/nodes').length;
    const listVersion = Number(
      watchRequests(api, '/api/v1/nodes')[0].query.get('resourceVersion'),
    );
    api.bookmark();
    await new Promise(resolve => setTimeout(resolve, 200));
    api.closeWatches();
    await waitFor(
      'the node watch to resume',
      () => watchRequests(api, '/api/v1/nodes').length > nodeWatchesBefore,
      WAIT,
    );
    const resumed = watchRequests(api, '/api/v1/nodes').at(-1)!;
    assert.ok(
      Number(resumed.query.get('resourceVersion')) > listVersion,
      'the bookmark moved the node watch past the list version',
    );
    api.apply('Pod', fixtures.pod('shop', 'api-6'));
    await waitFor('api-6', () => backend.object('Pod', 'shop', 'api-6'), WAIT);
    assert.equal(backend.completedSnapshots, 1);
  });
});

describe('410 Gone', () => {
  test('an ERROR event with code 410 leads to a re-list and a new snapshot', async () => {
    const { api, backend } = await startShop();
    await waitFor('watches to open', () => api.openWatchCount >= 19, WAIT);
    api.expireHistory('event');
    await waitFor(
      'a second snapshot',
      () => backend.completedSnapshots >= 2,
      WAIT,
    );
    const [first, second] = sessions(backend);
    assert.notEqual(first, second);
    assert.equal(backend.snapshotParts(second)[0].sequence, 1);
    assert.deepEqual(storedKeys(backend), SHOP_KEYS);
    api.apply('Pod', fixtures.pod('shop', 'after-resync'));
    await waitFor(
      'a delta in the new session',
      () => backend.deltaBatches(second).length > 0,
      WAIT,
    );
  });

  test('HTTP 410 on resume re-lists, and objects deleted meanwhile disappear', async () => {
    const { api, backend } = await startShop();
    await waitFor('watches to open', () => api.openWatchCount >= 19, WAIT);
    api.failWatchesWith = 503;
    api.closeWatches();
    api.delete('Pod', 'shop', 'api-3');
    api.expireHistory('http');
    api.failWatchesWith = undefined;
    await waitFor(
      'a second snapshot',
      () => backend.completedSnapshots >= 2,
      WAIT,
    );
    assert.equal(backend.object('Pod', 'shop', 'api-3'), undefined);
    assert.deepEqual(
      storedKeys(backend),
      SHOP_KEYS.filter(key => key !== 'Pod/shop/api-3'),
    );
    const restarts = await harness!.metrics.registry.getSingleMetricAsString(
      'tollgate_agent_watch_restarts_total',
    );
    assert.match(restarts, /reason="gone"/);
  });
});
