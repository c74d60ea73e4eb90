// @ts-check

/**
 * Pull requests Tollgate opened in GitOps repositories for promotions, so an
 * open one is updated instead of duplicated and its state can be tracked.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('git_pull_requests', table => {
    table.comment('A pull request (or merge request) opened for a promotion');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE')
      .comment('the latest promotion the pull request carries');
    table
      .string('subject', 255)
      .notNullable()
      .comment('entity ref, or the workload name without an entity');
    table.string('environment', 63).notNullable().comment('target environment');
    table
      .string('provider', 16)
      .notNullable()
      .comment('git, github, gitlab or bitbucket');
    table
      .string('repo', 1024)
      .notNullable()
      .comment('repository location without credentials');
    table.string('base_branch', 255).notNullable();
    table.string('head_branch', 255).notNullable();
    table.integer('number').nullable().comment('provider number; null for git');
    table.string('url', 2048).notNullable();
    table.string('state', 16).notNullable().comment('open, merged or closed');
    table.string('head_sha', 64).notNullable();
    table.string('merge_commit_sha', 64).nullable();
    table.text('files').notNullable().comment('JSON: repository paths changed');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['subject', 'environment', 'state']);
    table.index(['state', 'updated_at']);
    table.index(['promotion_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('git_pull_requests');
};
