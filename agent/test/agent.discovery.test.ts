import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import * as fixtures from './support/fixtures.ts';
import { startHarness, waitFor, type Harness } from './support/harness.ts';
import {
  SHOP_KEYS,
  seedShop,
  storedKeys,
  watchRequests,
} from './support/scenario.ts';

const WAIT = 15_000;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const OPTIONAL_KINDS = [
  'NodeMetrics',
  'PodMetrics',
  'PolicyReport',
  'ClusterPolicyReport',
];

describe('optional APIs', () => {
  test('are skipped cleanly when discovery does not list them', async () => {
    harness = await startHarness({
      seed: seedShop,
      api: { optionalGroups: [] },
    });
    await waitFor(
      'the snapshot',
      () => harness!.backend.completedSnapshots >= 1,
      WAIT,
    );
    assert.deepEqual(
      storedKeys(harness.backend),
      SHOP_KEYS.filter(key => !OPTIONAL_KINDS.includes(key.split('/')[0])),
    );
    assert.ok(
      !harness.api.requests.some(r =>
        r.path.startsWith('/apis/metrics.k8s.io/'),
      ),
    );
    assert.ok(
      !harness.api.requests.some(r =>
        r.path.startsWith('/apis/wgpolicyk8s.io/'),
      ),
    );
    const heartbeat = await waitFor(
      'a heartbeat',
      () => harness!.backend.heartbeats().at(-1),
      WAIT,
    );
    assert.equal(
      heartbeat.lastError,
      undefined,
      'an absent API is not an error',
    );
  });

  test('metrics are polled: new usage is upserted and vanished pods are deleted', async () => {
    harness = await startHarness({ seed: seedShop });
    const { api, backend } = harness;
    await waitFor('the snapshot', () => backend.completedSnapshots >= 1, WAIT);
    api.apply('PodMetrics', fixtures.podMetrics('shop', 'api-1', '480m'));
    api.apply('PodMetrics', fixtures.podMetrics('shop', 'api-2', '20m'));
    api.apply('NodeMetrics', fixtures.nodeMetrics('node-a', '1500m'));
    await waitFor(
      'polled usage',
      () =>
        backend.object('PodMetrics', 'shop', 'api-1')?.containers[0].usage
          .cpu === '480m' &&
        backend.object('PodMetrics', 'shop', 'api-2') &&
        backend.object('NodeMetrics', undefined, 'node-a')?.usage.cpu ===
          '1500m',
      WAIT,
    );
    api.delete('PodMetrics', 'shop', 'api-1');
    await waitFor(
      'the vanished metrics deleted',
      () => !backend.object('PodMetrics', 'shop', 'api-1'),
      WAIT,
    );
    assert.equal(
      watchRequests(api, '/apis/metrics.k8s.io/v1beta1/pods').length,
      0,
    );
    assert.equal(backend.object('PodMetrics', 'shop', 'api-1'), undefined);
  });

  test('policy reports are watched like built-in resources', async () => {
    harness = await startHarness({ seed: seedShop });
    const { api, backend } = harness;
    await waitFor('the snapshot', () => backend.completedSnapshots >= 1, WAIT);
    const report = fixtures.policyReport('shop', 'polr-api');
    (report.summary as any).fail = 0;
    api.apply('PolicyReport', report);
    api.apply('ClusterPolicyReport', {
      ...fixtures.policyReport('', 'cluster-polr'),
      metadata: { name: 'cluster-polr' },
    });
    await waitFor(
      'report changes',
      () =>
        backend.object('PolicyReport', 'shop', 'polr-api')?.summary.fail ===
          0 && backend.object('ClusterPolicyReport', undefined, 'cluster-polr'),
      WAIT,
    );
    assert.ok(
      watchRequests(api, '/apis/wgpolicyk8s.io/v1alpha2/policyreports')
        .length >= 1,
    );
  });

  test('a resource the agent may not list is skipped and reported, the rest is sent', async () => {
    harness = await startHarness({
      seed: api => {
        seedShop(api);
        api.forbidden.add('/apis/wgpolicyk8s.io/v1alpha2/policyreports');
      },
    });
    await waitFor(
      'the snapshot',
      () => harness!.backend.completedSnapshots >= 1,
      WAIT,
    );
    assert.deepEqual(
      storedKeys(harness.backend),
      SHOP_KEYS.filter(key => !key.startsWith('PolicyReport/')),
    );
    const heartbeat = await waitFor(
      'a heartbeat with the error',
      () => harness!.backend.heartbeats().find(h => h.lastError),
      WAIT,
    );
    assert.match(heartbeat.lastError, /PolicyReport.*policyreports/);
    assert.equal(
      harness.api.requests.filter(
        r => r.path === '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
      ).length,
      1,
      'a 403 is not retried',
    );
  });
});
