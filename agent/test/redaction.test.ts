import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as fixtures from './support/fixtures.ts';
import { startHarness, waitFor } from './support/harness.ts';
import { seedShop } from './support/scenario.ts';

const ROTATED_SECRET = 'AKIAROTATEDSECRET0000-zZ9yY8xX7wW6vV5uU4';
const ROTATED_CONFIG = 'amqp://guest:rotated-config-value@mq:5672';
const WAIT = 15_000;

/** Every secret the cluster holds, in clear and in the encodings an object could carry. */
const FORBIDDEN = [
  fixtures.SECRET_ENV_VALUE,
  fixtures.CONFIG_VALUE,
  ROTATED_SECRET,
  ROTATED_CONFIG,
].flatMap(value => [
  value,
  Buffer.from(value).toString('base64'),
  JSON.stringify(value).slice(1, -1),
]);

test('env values and ConfigMap values never appear in any byte the agent sends', async () => {
  const harness = await startHarness({
    seed: api => {
      seedShop(api);
      const workload = fixtures.deployment('shop', 'web');
      api.seed('StatefulSet', [
        { ...workload, metadata: { ...workload.metadata, name: 'db' } },
      ]);
      api.seed('DaemonSet', [
        { ...workload, metadata: { ...workload.metadata, name: 'agent' } },
      ]);
      api.seed('ReplicaSet', [
        { ...workload, metadata: { ...workload.metadata, name: 'web-5d9c' } },
      ]);
    },
  });
  try {
    const { api, backend } = harness;
    await waitFor('the snapshot', () => backend.completedSnapshots >= 1, WAIT);
    api.apply(
      'Deployment',
      fixtures.deployment(
        'shop',
        'api',
        'registry.example.com/shop/api:2.0.0',
        ROTATED_SECRET,
      ),
    );
    api.apply(
      'ConfigMap',
      fixtures.configMap('shop', 'api-config', {
        DATABASE_URL: ROTATED_CONFIG,
        QUEUE_URL: ROTATED_CONFIG,
      }),
    );
    api.apply('Pod', {
      ...fixtures.pod('shop', 'api-9'),
      metadata: {
        ...fixtures.pod('shop', 'api-9').metadata,
        annotations: { note: 'x' },
      },
    });
    await waitFor(
      'the changes',
      () => backend.object('ConfigMap', 'shop', 'api-config')?.data.QUEUE_URL,
      WAIT,
    );
    assert.equal(
      backend.object('ConfigMap', 'shop', 'api-config').data.QUEUE_URL,
      '<redacted>',
    );
    await harness.running.stop();

    // Both kinds of traffic were inspected, however the agent batched them.
    const paths = new Set(backend.requests.map(request => request.path));
    for (const path of ['snapshots', 'deltas']) {
      assert.ok(paths.has(path), `no ${path} request was sent`);
    }
    assert.deepEqual(backend.violations, []);
    for (const request of backend.requests) {
      const sent = gunzipSync(request.raw).toString('utf8');
      for (const secret of FORBIDDEN) {
        assert.ok(
          !sent.includes(secret),
          `a ${request.path} request leaked ${secret}`,
        );
        assert.ok(
          !request.raw.includes(secret),
          `compressed bytes of ${request.path} leaked ${secret}`,
        );
      }
      assert.equal(request.headers['content-encoding'], 'gzip');
      assert.equal(request.headers.authorization, 'Bearer test-token');
    }
    for (const line of harness.logs) {
      for (const secret of FORBIDDEN)
        assert.ok(!line.includes(secret), 'a log line leaked a secret');
    }
  } finally {
    await harness.stop();
  }
});
