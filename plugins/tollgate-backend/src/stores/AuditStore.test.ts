import type { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { AuditLogService } from '../services/AuditLogService';
import { auditEntryHash, GENESIS_HASH, type NewAuditEntry } from './AuditStore';
import { migrateLatest, TollgateStores } from './TollgateStores';

jest.setTimeout(120_000);

const migrationsDir = resolvePackagePath(
  '@tollgate/plugin-tollgate-backend',
  'migrations',
);
const CHAIN_MIGRATION = '20261202100000_audit_chain.js';

const t0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function entry(n: number, overrides: Partial<NewAuditEntry> = {}) {
  return {
    actor: 'user:default/alice',
    action: 'cluster.update',
    targetType: 'cluster',
    targetId: `c${n}`,
    requestId: `req-${n}`,
    sourceIp: '10.0.0.7',
    details: { before: { replicas: n }, after: { replicas: n + 1 } },
    ...overrides,
  };
}

const isPostgres = (id: TestDatabaseId) => id.startsWith('POSTGRES');

/** Lets a test write to audit_logs as a database superuser could. */
async function withoutAppendOnlyTriggers(
  db: Knex,
  databaseId: TestDatabaseId,
  work: () => Promise<unknown>,
) {
  if (isPostgres(databaseId)) {
    await db.raw('ALTER TABLE audit_logs DISABLE TRIGGER USER');
    await work();
    await db.raw('ALTER TABLE audit_logs ENABLE TRIGGER USER');
  } else {
    await db.raw('DROP TRIGGER IF EXISTS audit_logs_no_update');
    await db.raw('DROP TRIGGER IF EXISTS audit_logs_no_delete');
    await work();
  }
}

describe('AuditStore', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: TestDatabaseId) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    const stores = new TollgateStores(db);
    return { db, stores, log: new AuditLogService(stores) };
  }

  it.each(databases.eachSupportedId())(
    'links each entry to the previous one by hash on %p',
    async databaseId => {
      const { stores, log } = await setUp(databaseId);
      const first = await stores.audit.append(entry(1), at(0));
      const second = await stores.audit.append(
        entry(2, { sourceIp: undefined, details: { note: 'a "quoted", \n' } }),
        at(1),
      );

      const stored = await stores.audit.list();
      expect(stored).toEqual([first, second]);
      expect(stored[0]).toMatchObject({
        occurredAt: t0.toISOString(),
        sourceIp: '10.0.0.7',
        previousHash: GENESIS_HASH,
      });
      expect(stored[1].sourceIp).toBeNull();
      expect(stored[1].previousHash).toBe(stored[0].hash);
      for (const e of stored) {
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(auditEntryHash(e)).toBe(e.hash);
      }
      expect(await log.verify()).toEqual({ ok: true, checked: 2 });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one unbroken chain under 20 concurrent appending transactions on %p',
    async databaseId => {
      const { stores, log } = await setUp(databaseId);
      await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          stores.transaction(async trx => {
            await trx.clusters.list();
            await trx.audit.append(entry(n), at(n));
          }),
        ),
      );
      const stored = await stores.audit.list();
      expect(stored).toHaveLength(20);
      expect(new Set(stored.map(e => e.previousHash)).size).toBe(20);
      expect(await log.verify()).toEqual({ ok: true, checked: 20 });
    },
  );

  it.each(databases.eachSupportedId())(
    'hashes the rows that existed before the chain, in order, on %p',
    async databaseId => {
      const db = await databases.init(databaseId);
      await migrateUpTo(db, CHAIN_MIGRATION);
      for (const n of [1, 2, 3]) {
        await db('audit_logs').insert({
          occurred_at: at(n),
          actor: 'user:default/bob',
          action: 'cluster.create',
          target_type: 'cluster',
          target_id: `old-${n}`,
          request_id: `r${n}`,
          details: JSON.stringify({
            after: { name: `old-${n}`, b: 1, a: [n] },
          }),
        });
      }
      await migrateLatest(db);
      const stores = new TollgateStores(db);
      await stores.audit.append(entry(4), at(4));

      const stored = await stores.audit.list();
      expect(stored.map(e => e.targetId)).toEqual([
        'old-1',
        'old-2',
        'old-3',
        'c4',
      ]);
      expect(stored[0].previousHash).toBe(GENESIS_HASH);
      expect(stored[3].previousHash).toBe(stored[2].hash);
      expect(await new AuditLogService(stores).verify()).toEqual({
        ok: true,
        checked: 4,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses UPDATE, DELETE and TRUNCATE in the database on %p',
    async databaseId => {
      const { db, stores } = await setUp(databaseId);
      await stores.audit.append(entry(1), at(0));

      // Matched by message: the SQLite driver's error class may come from
      // another jest module registry, so toThrow() cannot always recognise it.
      const refused = (pattern: RegExp) => ({
        message: expect.stringMatching(pattern),
      });
      await expect(
        db('audit_logs').update({ actor: 'user:default/mallory' }),
      ).rejects.toMatchObject(refused(/append-only: UPDATE is not allowed/));
      await expect(db('audit_logs').delete()).rejects.toMatchObject(
        refused(/append-only: DELETE is not allowed/),
      );
      // knex truncates with TRUNCATE on PostgreSQL and DELETE on SQLite
      await expect(db('audit_logs').truncate()).rejects.toMatchObject(
        refused(/append-only: (TRUNCATE|DELETE) is not allowed/),
      );
      expect(await stores.audit.list()).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'names the first altered, re-hashed or deleted row on %p',
    async databaseId => {
      const { db, stores, log } = await setUp(databaseId);
      const ids: number[] = [];
      for (const n of [1, 2, 3, 4, 5]) {
        ids.push((await stores.audit.append(entry(n), at(n))).id);
      }

      await withoutAppendOnlyTriggers(db, databaseId, () =>
        db('audit_logs')
          .where({ id: ids[3] })
          .update({ details: JSON.stringify({ after: { replicas: 0 } }) }),
      );
      expect(await log.verify()).toEqual({
        ok: false,
        checked: 4,
        firstBroken: { id: ids[3], reason: 'hash mismatch' },
      });

      // An attacker who also recomputes the row's hash breaks the next link.
      const altered = (await stores.audit.list())[1];
      const forged = { ...altered, actor: 'user:default/mallory' };
      await withoutAppendOnlyTriggers(db, databaseId, () =>
        db('audit_logs')
          .where({ id: altered.id })
          .update({ actor: forged.actor, hash: auditEntryHash(forged) }),
      );
      expect((await log.verify()).firstBroken).toEqual({
        id: ids[2],
        reason: 'previous hash mismatch',
      });

      await withoutAppendOnlyTriggers(db, databaseId, () =>
        db('audit_logs').where({ id: ids[0] }).delete(),
      );
      expect((await log.verify()).firstBroken).toEqual({
        id: ids[1],
        reason: 'previous hash mismatch',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by actor, action, target and time, and pages newest first on %p',
    async databaseId => {
      const { stores, log } = await setUp(databaseId);
      await stores.audit.append(entry(1), at(0));
      await stores.audit.append(
        entry(2, { actor: 'user:default/bob', action: 'cluster.delete' }),
        at(10),
      );
      await stores.audit.append(
        entry(3, { targetType: 'promotion', targetId: 'p1' }),
        at(20),
      );

      const page = await log.list({ limit: 2, offset: 0 });
      expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page.items.map(e => e.requestId)).toEqual(['req-3', 'req-2']);

      const ids = async (filter: object) =>
        (await stores.audit.list(filter)).map(e => e.requestId);
      expect(await ids({ actor: 'user:default/bob' })).toEqual(['req-2']);
      expect(await ids({ action: 'cluster.update' })).toEqual([
        'req-1',
        'req-3',
      ]);
      expect(await ids({ targetType: 'promotion', targetId: 'p1' })).toEqual([
        'req-3',
      ]);
      expect(
        await ids({ from: at(10).toISOString(), to: at(20).toISOString() }),
      ).toEqual(['req-2']);
    },
  );
});

/** Runs the migrations that come before `name`. */
async function migrateUpTo(db: Knex, name: string) {
  for (;;) {
    const [, pending] = await db.migrate.list({ directory: migrationsDir });
    const next = pending[0] as { file: string } | undefined;
    if (!next || next.file === name) return;
    await db.migrate.up({ directory: migrationsDir });
  }
}
