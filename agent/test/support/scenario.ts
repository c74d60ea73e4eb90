import type { FakeBackend } from './fakeBackend.ts';
import type { FakeKubeApi } from './fakeKubeApi.ts';
import * as fixtures from './fixtures.ts';

/** A small shop namespace with one of nearly everything, a Secret and a Normal event included. */
export function seedShop(api: FakeKubeApi): void {
  api.seed('Namespace', [
    fixtures.namespace('shop'),
    fixtures.namespace('kube-system'),
  ]);
  api.seed('Node', [fixtures.node('node-a'), fixtures.node('node-b')]);
  api.seed('Deployment', [fixtures.deployment('shop', 'api')]);
  api.seed('Pod', [
    fixtures.pod('shop', 'api-1'),
    fixtures.pod('shop', 'api-2'),
    fixtures.pod('shop', 'api-3'),
  ]);
  api.seed('Service', [fixtures.service('shop', 'api')]);
  api.seed('ConfigMap', [fixtures.configMap('shop', 'api-config')]);
  api.seed('Event', [
    fixtures.warningEvent('shop', 'api-1.warn'),
    fixtures.normalEvent('shop', 'api-1.normal'),
  ]);
  api.seed('Secret', [fixtures.secret('shop', 'db')]);
  api.seed('PodMetrics', [fixtures.podMetrics('shop', 'api-1', '12m')]);
  api.seed('NodeMetrics', [fixtures.nodeMetrics('node-a', '400m')]);
  api.seed('PolicyReport', [fixtures.policyReport('shop', 'polr-api')]);
}

/** What the backend should hold for {@link seedShop}: no Secret, no Normal event. */
export const SHOP_KEYS = [
  'ConfigMap/shop/api-config',
  'Deployment/shop/api',
  'Event/shop/api-1.warn',
  'Namespace//kube-system',
  'Namespace//shop',
  'Node//node-a',
  'Node//node-b',
  'NodeMetrics//node-a',
  'Pod/shop/api-1',
  'Pod/shop/api-2',
  'Pod/shop/api-3',
  'PodMetrics/shop/api-1',
  'PolicyReport/shop/polr-api',
  'Service/shop/api',
];

export function storedKeys(backend: FakeBackend): string[] {
  return [...backend.objects.keys()].sort();
}

/** The snapshot ids in the order their first part arrived. */
export function sessions(backend: FakeBackend): string[] {
  return [...new Set(backend.snapshotParts().map(part => part.snapshotId))];
}

/** Sequence numbers the backend accepted for a session, snapshot parts and deltas, in arrival order. */
export function acceptedSequences(
  backend: FakeBackend,
  snapshotId: string,
): number[] {
  return backend.requests
    .filter(
      request =>
        request.status === 200 &&
        request.body?.snapshotId === snapshotId &&
        request.path !== 'heartbeat',
    )
    .map(request => request.body.sequence);
}

export function watchRequests(api: FakeKubeApi, path: string) {
  return api.requests.filter(
    request => request.path === path && request.query.get('watch') === 'true',
  );
}

export function listRequests(api: FakeKubeApi, path: string) {
  return api.requests.filter(
    request => request.path === path && request.query.get('watch') !== 'true',
  );
}
