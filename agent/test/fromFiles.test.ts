import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { launch } from '../src/app.ts';
import { manifestFiles, parseManifests } from '../src/files/fileSource.ts';
import { createLogger } from '../src/log.ts';
import { AgentMetrics } from '../src/metrics.ts';
import { FakeBackend } from './support/fakeBackend.ts';
import * as fixtures from './support/fixtures.ts';
import { testConfig, waitFor } from './support/harness.ts';
import { sessions, storedKeys } from './support/scenario.ts';

const WAIT = 15_000;
let directory: string;

const withKind = (
  apiVersion: string,
  kind: string,
  object: Record<string, unknown>,
) => ({ apiVersion, kind, ...object });

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tollgate-files-'));
  await mkdir(join(directory, 'cluster'), { recursive: true });
  await mkdir(join(directory, 'rendered'), { recursive: true });
  await mkdir(join(directory, '.git'), { recursive: true });
  // `kubectl get all,cm,secret -o yaml` output: a List, Secret included.
  await writeFile(
    join(directory, 'cluster', 'state.yaml'),
    stringify({
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: '' },
      items: [
        withKind('v1', 'Namespace', fixtures.namespace('shop')),
        withKind('apps/v1', 'Deployment', fixtures.deployment('shop', 'api')),
        withKind('v1', 'Pod', fixtures.pod('shop', 'api-1')),
        withKind('v1', 'ConfigMap', fixtures.configMap('shop', 'api-config')),
        withKind('v1', 'Secret', fixtures.secret('shop', 'db')),
      ],
    }),
  );
  // Rendered manifests: several documents, an empty one, and a kind the agent does not report.
  await writeFile(
    join(directory, 'rendered', 'app.yml'),
    [
      stringify(withKind('v1', 'Service', fixtures.service('shop', 'api'))),
      '',
      stringify(
        withKind('autoscaling/v2', 'HorizontalPodAutoscaler', {
          metadata: { name: 'api', namespace: 'shop' },
          spec: { minReplicas: 2, maxReplicas: 5 },
        }),
      ),
      stringify(
        withKind('monitoring.coreos.com/v1', 'ServiceMonitor', {
          metadata: { name: 'api', namespace: 'shop' },
        }),
      ),
    ].join('---\n'),
  );
  await writeFile(
    join(directory, 'nodes.json'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'NodeList',
      items: [withKind('v1', 'Node', fixtures.node('node-a'))],
    }),
  );
  await writeFile(
    join(directory, '.git', 'config.yaml'),
    stringify(withKind('v1', 'Namespace', fixtures.namespace('hidden'))),
  );
  await writeFile(join(directory, 'README.md'), '# not a manifest\n');
});

after(async () => {
  await rm(directory, { recursive: true, force: true });
});

test('manifestFiles finds YAML and JSON recursively and skips hidden folders', async () => {
  const files = (await manifestFiles(directory)).map(file =>
    file.slice(directory.length + 1),
  );
  assert.deepEqual(files, [
    'cluster/state.yaml',
    'nodes.json',
    'rendered/app.yml',
  ]);
});

test('parseManifests flattens Lists and multi-document files', () => {
  const objects = parseManifests(
    'kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n---\nkind: Service\nmetadata: {name: b}\n---\n',
    'x.yaml',
  );
  assert.deepEqual(
    objects.map(object => object.kind),
    ['Pod', 'Service'],
  );
  const problems: string[] = [];
  parseManifests('a: [unclosed', 'bad.yaml', {
    problem: context => problems.push(context),
  });
  assert.deepEqual(problems, ['parse bad.yaml']);
});

test('--from-files pushes the projected manifests, re-pushes when files change, and keeps heartbeating', async () => {
  const backend = await FakeBackend.start();
  const logs: string[] = [];
  const running = await launch(
    testConfig(backend.url, { fromFiles: directory }),
    createLogger('debug', line => logs.push(line)),
    {
      metrics: new AgentMetrics(false),
      backoff: { initialMs: 10, maxMs: 80 },
    },
  );
  try {
    await waitFor('the snapshot', () => backend.completedSnapshots >= 1, WAIT);
    assert.deepEqual(storedKeys(backend), [
      'ConfigMap/shop/api-config',
      'Deployment/shop/api',
      'HorizontalPodAutoscaler/shop/api',
      'Namespace//shop',
      'Node//node-a',
      'Pod/shop/api-1',
      'Service/shop/api',
    ]);
    assert.equal(
      backend.object('HorizontalPodAutoscaler', 'shop', 'api').apiVersion,
      'autoscaling/v2',
    );
    assert.equal(
      backend.object('Deployment', 'shop', 'api').metadata.managedFields,
      undefined,
    );
    for (const request of backend.requests) {
      const sent = gunzipSync(request.raw).toString();
      assert.ok(!sent.includes(fixtures.SECRET_ENV_VALUE));
      assert.ok(!sent.includes(fixtures.CONFIG_VALUE));
      assert.ok(
        !sent.includes(
          Buffer.from(fixtures.SECRET_ENV_VALUE).toString('base64'),
        ),
      );
    }
    await waitFor(
      'a heartbeat with counts',
      () =>
        backend
          .heartbeats()
          .find(h => h.objectCounts.Pod === 1 && h.snapshotId),
      WAIT,
    );
    assert.equal(backend.heartbeats().at(-1).kubernetesVersion, undefined);

    await writeFile(
      join(directory, 'rendered', 'app.yml'),
      stringify(withKind('v1', 'Service', fixtures.service('shop', 'api-v2'))),
    );
    await waitFor(
      'a second snapshot',
      () => backend.completedSnapshots >= 2,
      WAIT,
    );
    assert.equal(sessions(backend).length, 2);
    assert.ok(backend.object('Service', 'shop', 'api-v2'));
    assert.equal(
      backend.object('HorizontalPodAutoscaler', 'shop', 'api'),
      undefined,
      'objects gone from the files are gone',
    );
  } finally {
    await running.stop();
    await backend.close();
  }
});
