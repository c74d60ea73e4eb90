import {
  configMap,
  productionObjects,
  stagingObjects,
} from './__fixtures__/checkout';
import { container, deployment, service } from './__fixtures__/builders';
import {
  diffObjects,
  fieldChanges,
  matchObjects,
  unifiedYamlDiff,
} from './diff';
import { normalizeObjects } from './normalize';
import { K8sObject } from './objects';

const prod = (objects: K8sObject[]) =>
  normalizeObjects(objects, { namespace: 'shop-prod' });

describe('diffObjects', () => {
  it('reports a realistic promotion with per-field changes and a summary', () => {
    const result = diffObjects(
      prod(productionObjects()),
      prod(stagingObjects()),
    );
    expect(result.summary).toEqual({
      added: 0,
      removed: 0,
      modified: 2,
      renamed: 0,
      unchanged: 6,
      total: 8,
    });
    const checkout = result.objects.find(o => o.kind === 'Deployment');
    expect(checkout?.status).toBe('modified');
    expect(checkout?.changes.map(c => c.path)).toEqual([
      'spec.replicas',
      'spec.template.spec.containers[name=api].image',
      'spec.template.spec.containers[name=api].resources.limits.cpu',
      'spec.template.spec.containers[name=api].resources.limits.memory',
      'spec.template.spec.containers[name=api].resources.requests.cpu',
      'spec.template.spec.containers[name=api].resources.requests.memory',
    ]);
    expect(checkout?.changes[0]).toEqual({
      path: 'spec.replicas',
      type: 'changed',
      before: 3,
      after: 2,
    });
    const pvc = result.objects.find(o => o.kind === 'PersistentVolumeClaim');
    expect(pvc?.changes).toEqual([
      {
        path: 'spec.resources.requests.storage',
        type: 'changed',
        before: '20Gi',
        after: '30Gi',
      },
    ]);
  });

  it('lists objects in kind order, then name', () => {
    const result = diffObjects(
      prod(productionObjects()),
      prod(stagingObjects()),
    );
    expect(result.objects.map(o => o.kind)).toEqual([
      'ServiceAccount',
      'ConfigMap',
      'PersistentVolumeClaim',
      'Service',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Ingress',
    ]);
  });

  it('is deterministic whatever order the objects come in', () => {
    const forward = diffObjects(
      prod(productionObjects()),
      prod(stagingObjects()),
    );
    const backward = diffObjects(
      prod(productionObjects().reverse()),
      prod(stagingObjects().reverse()),
    );
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });

  it('reports added and removed objects with unified diffs against /dev/null', () => {
    const result = diffObjects(
      prod([configMap('shop-prod')]),
      prod([service('web')]),
    );
    expect(result.summary).toMatchObject({ added: 1, removed: 1, total: 2 });
    const added = result.objects.find(o => o.status === 'added');
    const removed = result.objects.find(o => o.status === 'removed');
    expect(added?.unifiedDiff).toMatch(
      /^--- \/dev\/null\n\+\+\+ b\/Service\/web\.yaml\n/,
    );
    expect(removed?.unifiedDiff).toMatch(
      /^--- a\/ConfigMap\/checkout-config\.yaml\n\+\+\+ \/dev\/null\n/,
    );
  });

  it('detects a rename instead of a removal plus an addition', () => {
    const before = prod([
      deployment('checkout-v1', {
        replicas: 3,
        containers: [container('api'), container('worker')],
      }),
    ]);
    const after = prod([
      deployment('checkout-v2', {
        replicas: 3,
        containers: [container('api'), container('worker')],
      }),
    ]);
    const result = diffObjects(before, after);
    expect(result.summary).toMatchObject({ renamed: 1, added: 0, removed: 0 });
    const renamed = result.objects[0];
    expect(renamed).toMatchObject({
      status: 'renamed',
      name: 'checkout-v2',
      previousName: 'checkout-v1',
    });
    expect(renamed.similarity).toBeGreaterThan(0.75);
    expect(renamed.changes.map(c => c.path)).toContain('metadata.name');
  });

  it('does not call dissimilar objects a rename, and respects the threshold', () => {
    const before = prod([
      deployment('a', { containers: [container('api', { image: 'x/a:1' })] }),
    ]);
    const after = prod([
      deployment('b', {
        containers: [container('worker', { image: 'y/b:2' })],
      }),
    ]);
    expect(diffObjects(before, after).summary).toMatchObject({
      renamed: 0,
      added: 1,
      removed: 1,
    });
    const similar = prod([deployment('cart', { replicas: 2 })]);
    const other = prod([deployment('basket', { replicas: 3 })]);
    expect(
      diffObjects(similar, other, { renameThreshold: 1 }).summary.renamed,
    ).toBe(0);
    expect(
      diffObjects(similar, other, { renameThreshold: 0.5 }).summary.renamed,
    ).toBe(1);
  });

  it('pairs renames greedily by similarity, deterministically', () => {
    const matches = matchObjects(
      prod([
        deployment('api-old', { replicas: 3 }),
        deployment('web-old', { replicas: 5 }),
      ]),
      prod([
        deployment('web-new', { replicas: 5 }),
        deployment('api-new', { replicas: 3 }),
      ]),
      { renameThreshold: 0.5 },
    );
    expect(
      matches.map(m => `${m.before?.metadata.name}->${m.after?.metadata.name}`),
    ).toEqual(['api-old->api-new', 'web-old->web-new']);
  });
});

describe('fieldChanges', () => {
  it('matches named list items by name, whatever their position', () => {
    const before = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    };
    const after = {
      env: [
        { name: 'C', value: '3' },
        { name: 'A', value: '1' },
      ],
    };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'env[name=C]', type: 'added', after: { name: 'C', value: '3' } },
      {
        path: 'env[name=B]',
        type: 'removed',
        before: { name: 'B', value: '2' },
      },
    ]);
  });

  it('reports a reorder of the same named items', () => {
    const before = { containers: [{ name: 'a' }, { name: 'b' }] };
    const after = { containers: [{ name: 'b' }, { name: 'a' }] };
    expect(fieldChanges(before, after)).toEqual([
      {
        path: 'containers',
        type: 'reordered',
        before: ['a', 'b'],
        after: ['b', 'a'],
      },
    ]);
  });

  it('compares scalar lists whole and unnamed object lists by index', () => {
    expect(fieldChanges({ args: ['--a'] }, { args: ['--a', '--b'] })).toEqual([
      { path: 'args', type: 'changed', before: ['--a'], after: ['--a', '--b'] },
    ]);
    expect(
      fieldChanges({ rules: [{ host: 'a' }] }, { rules: [{ host: 'b' }] }),
    ).toEqual([
      { path: 'rules[0].host', type: 'changed', before: 'a', after: 'b' },
    ]);
  });

  it('quotes keys that are not plain identifiers', () => {
    expect(
      fieldChanges(
        { labels: { 'app.kubernetes.io/name': 'a' } },
        { labels: { 'app.kubernetes.io/name': 'b' } },
      ),
    ).toEqual([
      {
        path: 'labels["app.kubernetes.io/name"]',
        type: 'changed',
        before: 'a',
        after: 'b',
      },
    ]);
  });
});

describe('unifiedYamlDiff', () => {
  it('serializes with sorted keys and shows only what changed', () => {
    const before = prod([deployment('web', { replicas: 2 })])[0];
    const after = prod([deployment('web', { replicas: 4 })])[0];
    const patch = unifiedYamlDiff(before, after);
    expect(patch).toContain(
      '--- a/Deployment/web.yaml\n+++ b/Deployment/web.yaml\n',
    );
    expect(patch).toContain('-  replicas: 2\n+  replicas: 4\n');
    expect(patch).not.toContain('apiVersion');
  });

  it('writes whole objects with keys sorted', () => {
    const patch = unifiedYamlDiff(undefined, prod([service('web')])[0]);
    const keys = patch.split('\n').filter(line => /^\+[a-z]/.test(line));
    expect(keys).toEqual([
      '+apiVersion: v1',
      '+kind: Service',
      '+metadata:',
      '+spec:',
    ]);
  });
});
