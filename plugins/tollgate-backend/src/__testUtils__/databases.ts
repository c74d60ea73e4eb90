import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * SQLite always, PostgreSQL 15 through {@link POSTGRES_ENV}. In CI a missing
 * PostgreSQL is an error, never a silent skip.
 */
export function createTestDatabases(): TestDatabases {
  if (process.env.CI && !process.env[POSTGRES_ENV]) {
    throw new Error(
      `${POSTGRES_ENV} must point at PostgreSQL 15 in CI (for example postgresql://postgres@127.0.0.1:5432)`,
    );
  }
  const ids: TestDatabaseId[] = process.env[POSTGRES_ENV]
    ? ['POSTGRES_15', 'SQLITE_3']
    : ['SQLITE_3'];
  return TestDatabases.create({ ids });
}
