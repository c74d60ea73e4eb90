import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import { ClusterPodCache } from './ClusterPodCache';

jest.setTimeout(60_000);

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod' as const,
  metadata: { name, namespace: 'shop' },
  spec: { nodeName: 'n1', containers: [] },
});

describe('ClusterPodCache', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    're-reads a cluster’s Pods only after they change on %p',
    async databaseId => {
      const db = await databases.init(databaseId);
      await migrateLatest(db);
      const stores = new TollgateStores(db);
      const cluster = await stores.clusters.insert(
        {
          id: randomUUID(),
          name: 'prod',
          displayName: 'prod',
          provider: 'aws',
          region: 'eu-west-1',
          environment: 'production',
          metadata: {},
          createdBy: 'user:default/admin',
        },
        new Date('2026-12-02T10:00:00.000Z'),
      );
      const write = (names: string[], at: string) =>
        stores.objects.upsert(
          cluster.id,
          names.map(name => ({ object: pod(name), hash: name })),
          'snap',
          new Date(at),
        );
      await write(['a', 'b'], '2026-12-02T10:00:00.000Z');
      const listPods = jest.spyOn(stores.previewInputs, 'listPods');
      const cache = new ClusterPodCache();

      const names = async () =>
        (await cache.podsOf(stores.previewInputs, cluster.id)).pods
          .map(p => p.metadata.name)
          .sort();
      expect(await names()).toEqual(['a', 'b']);
      expect(await names()).toEqual(['a', 'b']);
      expect(listPods).toHaveBeenCalledTimes(1);

      await write(['c'], '2026-12-02T10:05:00.000Z');
      expect(await names()).toEqual(['a', 'b', 'c']);
      await stores.objects.markDeleted(
        cluster.id,
        [{ kind: 'Pod', namespace: 'shop', name: 'a' }],
        new Date('2026-12-02T10:06:00.000Z'),
      );
      expect(await names()).toEqual(['b', 'c']);
      expect(listPods).toHaveBeenCalledTimes(3);
    },
  );
});
