import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateLatest, TollgateStores } from './TollgateStores';

jest.setTimeout(60_000);

const now = new Date('2026-11-23T10:00:00.000Z');
const later = new Date('2026-11-23T11:30:00.000Z');

function newCluster(name: string, environment = 'staging') {
  return {
    id: randomUUID(),
    name,
    displayName: name.toUpperCase(),
    provider: 'aws' as const,
    region: 'eu-west-1',
    environment,
    metadata: { team: 'payments' },
    createdBy: 'user:default/alice',
  };
}

describe('ClusterStore', () => {
  const databases = createTestDatabases();

  async function storesFor(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    return { db, stores: new TollgateStores(db) };
  }

  it.each(databases.eachSupportedId())(
    'inserts, reads, lists, updates and deletes on %p',
    async databaseId => {
      const { stores } = await storesFor(databaseId);
      const staging = await stores.clusters.insert(newCluster('stg-eu'), now);
      await stores.clusters.insert(newCluster('prod-eu', 'production'), now);

      expect(staging).toEqual({
        ...newCluster('stg-eu'),
        id: staging.id,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      expect((await stores.clusters.list()).map(c => c.name)).toEqual([
        'prod-eu',
        'stg-eu',
      ]);
      expect(
        (await stores.clusters.list({ environment: 'production' })).map(
          c => c.name,
        ),
      ).toEqual(['prod-eu']);
      expect(await stores.clusters.getByName('stg-eu')).toEqual(staging);

      const updated = await stores.clusters.update(
        staging.id,
        { region: 'eu-central-1', metadata: { team: 'core' } },
        later,
      );
      expect(updated).toMatchObject({
        region: 'eu-central-1',
        metadata: { team: 'core' },
        displayName: 'STG-EU',
        createdAt: now.toISOString(),
        updatedAt: later.toISOString(),
      });
      expect(
        await stores.clusters.update(randomUUID(), { region: 'x' }, later),
      ).toBeUndefined();

      expect(await stores.clusters.delete(staging.id)).toBe(true);
      expect(await stores.clusters.delete(staging.id)).toBe(false);
      expect(await stores.clusters.get(staging.id)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a duplicate name at the database on %p',
    async databaseId => {
      const { stores } = await storesFor(databaseId);
      await stores.clusters.insert(newCluster('dup'), now);
      // Matched by code: the driver's error class may come from another
      // jest module registry, so toThrow() cannot always recognise it.
      await expect(
        stores.clusters.insert(newCluster('dup'), now),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/),
      });
      expect(await stores.clusters.list()).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes a cluster’s agent with it on %p',
    async databaseId => {
      const { db, stores } = await storesFor(databaseId);
      const cluster = await stores.clusters.insert(
        newCluster('with-agent'),
        now,
      );
      await db('cluster_agents').insert({
        cluster_id: cluster.id,
        token_hash: 'f'.repeat(64),
        token_created_at: now,
      });
      await stores.clusters.delete(cluster.id);
      const [{ n }] = await db('cluster_agents').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls back every write of a failed transaction on %p',
    async databaseId => {
      const { stores } = await storesFor(databaseId);
      await expect(
        stores.transaction(async tx => {
          await tx.clusters.insert(newCluster('half-written'), now);
          throw new Error('audit failed');
        }),
      ).rejects.toThrow('audit failed');
      expect(await stores.clusters.getByName('half-written')).toBeUndefined();
    },
  );
});

describe('AuditStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'appends entries in order and filters by target on %p',
    async databaseId => {
      const db = await databases.init(databaseId);
      await migrateLatest(db);
      const stores = new TollgateStores(db);
      const entry = {
        actor: 'user:default/alice',
        action: 'cluster.create',
        targetType: 'cluster',
        targetId: 'a',
        requestId: 'req-1',
        details: { after: { name: 'a' } },
      };
      await stores.audit.append(entry, now);
      await stores.audit.append(
        { ...entry, targetId: 'b', action: 'cluster.delete' },
        later,
      );

      const all = await stores.audit.list();
      expect(all.map(e => e.action)).toEqual([
        'cluster.create',
        'cluster.delete',
      ]);
      expect(all[0]).toEqual({
        ...entry,
        id: all[0].id,
        occurredAt: now.toISOString(),
        sourceIp: null,
        previousHash: expect.any(String),
        hash: expect.any(String),
      });
      expect(await stores.audit.list({ targetId: 'b' })).toHaveLength(1);
    },
  );
});
