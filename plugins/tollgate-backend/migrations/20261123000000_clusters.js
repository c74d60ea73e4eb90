// @ts-check

/**
 * Clusters, their agents, what the agents report, and the audit log.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('clusters', table => {
    table.comment('Kubernetes clusters registered with Tollgate');
    table.string('id', 36).primary().comment('UUID');
    table.string('name', 63).notNullable().unique().comment('DNS label');
    table.string('display_name', 120).notNullable();
    table.string('provider', 16).notNullable();
    table.string('region', 64).notNullable();
    table.string('environment', 63).notNullable().index();
    table.text('metadata').notNullable().comment('JSON object of strings');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('cluster_agents', table => {
    table.comment(
      'The read-only agent of each cluster: credentials and session',
    );
    table
      .string('cluster_id', 36)
      .primary()
      .references('id')
      .inTable('clusters')
      .onDelete('CASCADE');
    table.string('token_hash', 64).nullable().unique().comment('SHA-256 hex');
    table.string('previous_token_hash', 64).nullable().unique();
    table.timestamp('previous_token_expires_at', { useTz: true }).nullable();
    table.timestamp('token_created_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('agent_version', 64).nullable();
    table.string('kubernetes_version', 64).nullable();
    table.text('object_counts').nullable().comment('JSON: kind -> count');
    table.text('last_error').nullable();
    table.timestamp('last_heartbeat_at', { useTz: true }).nullable();
    table
      .string('session_id', 36)
      .nullable()
      .comment('snapshotId of the session');
    table.integer('last_sequence').nullable();
  });

  await knex.schema.createTable('cluster_snapshots', table => {
    table.comment('Full snapshots pushed by agents');
    table.string('id', 36).primary().comment('snapshotId chosen by the agent');
    table
      .string('cluster_id', 36)
      .notNullable()
      .references('id')
      .inTable('clusters')
      .onDelete('CASCADE');
    table
      .string('status', 16)
      .notNullable()
      .comment('receiving, complete, superseded');
    table.integer('object_count').notNullable().defaultTo(0);
    table.integer('rejected_count').notNullable().defaultTo(0);
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('completed_at', { useTz: true }).nullable();
    table.index(['cluster_id', 'started_at']);
  });

  await knex.schema.createTable('cluster_objects', table => {
    table.comment('Latest projected state of each object in each cluster');
    table.bigIncrements('id').primary();
    table
      .string('cluster_id', 36)
      .notNullable()
      .references('id')
      .inTable('clusters')
      .onDelete('CASCADE');
    table.string('api_version', 128).notNullable();
    table.string('kind', 64).notNullable();
    table
      .string('namespace', 63)
      .notNullable()
      .comment("'' when cluster-scoped");
    table.string('name', 253).notNullable();
    table.string('uid', 64).nullable();
    table.string('resource_version', 64).nullable();
    table.text('object').notNullable().comment('projected JSON');
    table.string('hash', 64).notNullable().comment('SHA-256 of canonical JSON');
    table
      .string('snapshot_id', 36)
      .nullable()
      .comment('last snapshot that saw it');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('deleted_at', { useTz: true }).nullable();
    table.unique(['cluster_id', 'kind', 'namespace', 'name']);
    table.index(['cluster_id', 'kind', 'namespace']);
  });

  await knex.schema.createTable('audit_logs', table => {
    table.comment('Append-only log of every Tollgate state change');
    table.bigIncrements('id').primary();
    table.timestamp('occurred_at', { useTz: true }).notNullable().index();
    table.string('actor', 255).notNullable().index();
    table.string('action', 64).notNullable().index();
    table.string('target_type', 64).notNullable();
    table.string('target_id', 255).notNullable();
    table.string('request_id', 64).notNullable();
    table.text('details').notNullable().comment('JSON: before/after summary');
    table.index(['target_type', 'target_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_logs');
  await knex.schema.dropTable('cluster_objects');
  await knex.schema.dropTable('cluster_snapshots');
  await knex.schema.dropTable('cluster_agents');
  await knex.schema.dropTable('clusters');
};
