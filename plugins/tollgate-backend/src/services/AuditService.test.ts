import type { AuditorService } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../__testUtils__/databases';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import { AuditService } from './AuditService';

jest.setTimeout(60_000);

const now = new Date('2026-12-02T10:00:00.000Z');
const context = {
  actor: 'user:default/alice',
  requestId: 'req-1',
  sourceIp: '192.0.2.10',
};
const event = {
  action: 'cluster.update',
  targetType: 'cluster',
  targetId: 'c1',
  details: { after: { region: 'eu-west-1' } },
};

function fakeAuditor() {
  const success = jest.fn(async () => {});
  const auditor: AuditorService = {
    createEvent: jest.fn(async () => ({ success, fail: jest.fn() })),
  };
  return { auditor, success };
}

const flush = () => new Promise(resolve => setImmediate(resolve));

describe('AuditService', () => {
  const databases = createTestDatabases();

  async function stores(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    return new TollgateStores(db);
  }

  it.each(databases.eachSupportedId())(
    'records actor, request and source IP, and tells the auditor after commit on %p',
    async databaseId => {
      const root = await stores(databaseId);
      const { auditor, success } = fakeAuditor();
      const audit = new AuditService(() => now, auditor);

      await root.transaction(async trx => {
        await audit.record(trx, context, event);
        await flush();
        expect(auditor.createEvent).not.toHaveBeenCalled();
      });
      await flush();

      const [entry] = await root.audit.list();
      expect(entry).toMatchObject({ ...context, ...event });
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'cluster-update',
        severityLevel: 'medium',
        meta: {
          auditLogId: entry.id,
          actor: 'user:default/alice',
          action: 'cluster.update',
          targetType: 'cluster',
          targetId: 'c1',
          requestId: 'req-1',
          sourceIp: '192.0.2.10',
          hash: entry.hash,
        },
      });
      expect(success).toHaveBeenCalled();
    },
  );

  it.each(databases.eachSupportedId())(
    'tells the auditor nothing when the change rolls back on %p',
    async databaseId => {
      const root = await stores(databaseId);
      const { auditor } = fakeAuditor();
      const audit = new AuditService(() => now, auditor);

      await expect(
        root.transaction(async trx => {
          await audit.record(trx, context, event);
          throw new Error('conflict');
        }),
      ).rejects.toThrow('conflict');
      await flush();

      expect(await root.audit.list()).toEqual([]);
      expect(auditor.createEvent).not.toHaveBeenCalled();
    },
  );
});
