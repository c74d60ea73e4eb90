import { ConflictError, NotFoundError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import { AuditService } from './AuditService';
import { ClusterService } from './ClusterService';

jest.setTimeout(60_000);

const alice = { actor: 'user:default/alice', requestId: 'req-1' };
const bob = { actor: 'user:default/bob', requestId: 'req-2' };
const registration = {
  name: 'stg-us',
  provider: 'gcp' as const,
  region: 'us-central1',
  environment: 'staging',
};

describe('ClusterService', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    const stores = new TollgateStores(db);
    const clock = () => new Date('2026-11-23T12:00:00.000Z');
    return {
      stores,
      service: new ClusterService(stores, new AuditService(clock), clock),
    };
  }

  it.each(databases.eachSupportedId())(
    'audits create, update and delete with actor, target and request id on %p',
    async databaseId => {
      const { stores, service } = await setUp(databaseId);
      const cluster = await service.create(registration, alice);
      await service.update(cluster.id, { region: 'us-east1' }, bob);
      await service.delete(cluster.id, alice);

      const log = await stores.audit.list({ targetId: cluster.id });
      expect(log.map(e => [e.action, e.actor, e.requestId])).toEqual([
        ['cluster.create', 'user:default/alice', 'req-1'],
        ['cluster.update', 'user:default/bob', 'req-2'],
        ['cluster.delete', 'user:default/alice', 'req-1'],
      ]);
      expect(log[1].details).toEqual({
        before: expect.objectContaining({ region: 'us-central1' }),
        after: expect.objectContaining({ region: 'us-east1' }),
      });
      expect(log[0].occurredAt).toBe('2026-11-23T12:00:00.000Z');
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a taken name and unknown ids without writing to the log on %p',
    async databaseId => {
      const { stores, service } = await setUp(databaseId);
      await service.create(registration, alice);
      await expect(service.create(registration, bob)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(service.get('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        service.update('nope', { region: 'x' }, bob),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.delete('nope', bob)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect((await stores.audit.list()).map(e => e.action)).toEqual([
        'cluster.create',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps no cluster when its audit entry cannot be written on %p',
    async databaseId => {
      const { stores } = await setUp(databaseId);
      const failingAudit = new AuditService();
      jest
        .spyOn(failingAudit, 'record')
        .mockRejectedValue(new Error('disk full'));
      const service = new ClusterService(stores, failingAudit);
      await expect(service.create(registration, alice)).rejects.toThrow(
        'disk full',
      );
      expect(await stores.clusters.list()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'registers declared clusters only when their name is free on %p',
    async databaseId => {
      const { service } = await setUp(databaseId);
      await service.create({ ...registration, region: 'kept' }, alice);
      const created = await service.registerDeclared(
        [
          registration,
          { ...registration, name: 'prod-us', environment: 'production' },
        ],
        { actor: 'config:tollgate.clusters', requestId: 'startup' },
      );
      expect(created.map(c => c.name)).toEqual(['prod-us']);
      expect(
        (await service.list()).find(c => c.name === 'stg-us')?.region,
      ).toBe('kept');
    },
  );
});
