import { createTestDatabases } from '../__testUtils__/databases';
import { migrateDownAll, migrateLatest } from './TollgateStores';

jest.setTimeout(60_000);

const TABLES = [
  'clusters',
  'cluster_agents',
  'cluster_snapshots',
  'cluster_objects',
  'audit_logs',
  'workload_promotions',
  'workload_diffs',
  'promotion_costs',
  'promotion_risks',
  'llm_explanations',
  'promotion_approvals',
  'promotion_events',
  'promotion_pull_requests',
  'git_pull_requests',
];

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'run up and down cleanly on %p',
    async databaseId => {
      const db = await databases.init(databaseId);

      await migrateLatest(db);
      for (const table of TABLES) {
        expect(await db.schema.hasTable(table)).toBe(true);
      }
      for (const column of ['source_ip', 'previous_hash', 'hash']) {
        expect(await db.schema.hasColumn('audit_logs', column)).toBe(true);
      }

      await migrateDownAll(db);
      for (const table of TABLES) {
        expect(await db.schema.hasTable(table)).toBe(false);
      }

      // and up again, as an upgrade after a rollback would
      await migrateLatest(db);
      expect(await db.schema.hasTable('clusters')).toBe(true);
      expect(await db.schema.hasTable('llm_explanations')).toBe(true);
    },
  );
});
