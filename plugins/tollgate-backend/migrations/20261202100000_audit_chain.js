// @ts-check
const { createHash } = require('node:crypto');

/**
 * Makes `audit_logs` tamper-evident: each row gets the client's IP, the
 * previous row's hash and its own SHA-256 over its content and that previous
 * hash. Rows written before this migration are hashed here, in id order. The
 * database then refuses UPDATE, DELETE (and, on PostgreSQL, TRUNCATE).
 *
 * The row hash is frozen here on purpose: this migration must keep producing
 * what it produced when it shipped. `AuditStore` computes the same hash with
 * `services/canonicalJson.ts`; `AuditStore.test.ts` checks the two agree.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('audit_logs', table => {
    table
      .string('source_ip', 64)
      .nullable()
      .comment('client IP (proxy-aware), or "internal" for backend work');
    table
      .string('previous_hash', 64)
      .nullable()
      .comment('hash of the previous row; 64 zeros for the first');
    table
      .string('hash', 64)
      .nullable()
      .comment('SHA-256 of canonical JSON of the content and previous_hash');
  });
  await hashExistingRows(knex);
  await knex.schema.alterTable('audit_logs', table => {
    // One successor per row: appends can never fork the chain.
    table.unique(['previous_hash'], {
      indexName: 'audit_logs_previous_hash_unique',
    });
  });
  if (isPostgres(knex)) {
    await knex.raw(
      'ALTER TABLE audit_logs ALTER COLUMN previous_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL',
    );
    await createPostgresTriggers(knex);
  } else if (isSqlite(knex)) {
    await createSqliteTriggers(knex);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (isPostgres(knex)) {
    await knex.raw(
      'DROP TRIGGER IF EXISTS audit_logs_no_update_delete ON audit_logs',
    );
    await knex.raw(
      'DROP TRIGGER IF EXISTS audit_logs_no_truncate ON audit_logs',
    );
    await knex.raw('DROP FUNCTION IF EXISTS tollgate_audit_logs_append_only()');
  } else if (isSqlite(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS audit_logs_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS audit_logs_no_delete');
  }
  await knex.schema.alterTable('audit_logs', table => {
    table.dropUnique(['previous_hash'], 'audit_logs_previous_hash_unique');
  });
  await knex.schema.alterTable('audit_logs', table => {
    table.dropColumn('hash');
    table.dropColumn('previous_hash');
    table.dropColumn('source_ip');
  });
};

const GENESIS_HASH = '0'.repeat(64);
const BATCH = 500;

/** @param {import('knex').Knex} knex */
function isPostgres(knex) {
  return ['pg', 'postgres', 'postgresql'].includes(knex.client.config.client);
}

/** @param {import('knex').Knex} knex */
function isSqlite(knex) {
  return ['better-sqlite3', 'sqlite3'].includes(knex.client.config.client);
}

/** @param {import('knex').Knex} knex */
async function hashExistingRows(knex) {
  let previousHash = GENESIS_HASH;
  let afterId = 0;
  for (;;) {
    const rows = await knex('audit_logs')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(BATCH);
    for (const row of rows) {
      const hash = rowHash(row, previousHash);
      await knex('audit_logs')
        .where({ id: row.id })
        .update({ previous_hash: previousHash, hash });
      previousHash = hash;
    }
    if (rows.length < BATCH) return;
    afterId = rows[rows.length - 1].id;
  }
}

/**
 * @param {Record<string, any>} row
 * @param {string} previousHash
 */
function rowHash(row, previousHash) {
  const content = {
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    sourceIp: row.source_ip ?? null,
    details: JSON.parse(row.details),
    previousHash,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/**
 * JSON with object keys sorted at every level.
 *
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const record = /** @type {Record<string, unknown>} */ (value);
  const members = Object.keys(record)
    .sort()
    .filter(key => record[key] !== undefined)
    .map(key => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** @param {import('knex').Knex} knex */
async function createPostgresTriggers(knex) {
  await knex.raw(`
    CREATE FUNCTION tollgate_audit_logs_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER audit_logs_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION tollgate_audit_logs_append_only()`);
  await knex.raw(`
    CREATE TRIGGER audit_logs_no_truncate
    BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION tollgate_audit_logs_append_only()`);
}

/** SQLite has no TRUNCATE; DELETE without WHERE is refused like any DELETE. */
async function createSqliteTriggers(/** @type {import('knex').Knex} */ knex) {
  for (const operation of ['UPDATE', 'DELETE']) {
    await knex.raw(`
      CREATE TRIGGER audit_logs_no_${operation.toLowerCase()}
      BEFORE ${operation} ON audit_logs
      BEGIN
        SELECT RAISE(ABORT, 'audit_logs is append-only: ${operation} is not allowed');
      END`);
  }
}
