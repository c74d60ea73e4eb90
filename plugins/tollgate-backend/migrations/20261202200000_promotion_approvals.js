// @ts-check

/**
 * The promotion state machine: approvals and rejections, every state change
 * with its time and actor, and the pull request each promotion opened.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('promotion_approvals', table => {
    table.comment('Approvals and rejections of promotions, one per user each');
    table.bigIncrements('id').primary();
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table.string('actor', 255).notNullable().comment('user entity ref');
    table.string('decision', 16).notNullable().comment('approve or reject');
    table.text('comment').nullable();
    table.string('request_id', 64).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    // The same user approving twice counts once.
    table.unique(['promotion_id', 'actor', 'decision'], {
      indexName: 'promotion_approvals_once_per_user',
    });
  });

  await knex.schema.createTable('promotion_events', table => {
    table.comment('Every state change of a promotion, with time and actor');
    table.bigIncrements('id').primary();
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table
      .string('event', 32)
      .notNullable()
      .comment('approved, rejected, superseded, pr_opened, pr_updated, ...');
    table.string('from_state', 16).nullable();
    table.string('to_state', 16).nullable().comment('null: no state change');
    table.string('actor', 255).notNullable();
    table.string('request_id', 64).notNullable();
    table.text('details').notNullable().comment('JSON');
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.index(['promotion_id', 'id']);
  });

  await knex.schema.createTable('promotion_pull_requests', table => {
    table.comment('The pull request of each promotion, as last reported');
    table
      .string('promotion_id', 36)
      .primary()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table.string('pull_request_id', 64).notNullable().index();
    table.string('state', 16).notNullable().comment('open, merged, closed');
    table.text('record').notNullable().comment('JSON: PullRequestRecord');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('promotion_pull_requests');
  await knex.schema.dropTable('promotion_events');
  await knex.schema.dropTable('promotion_approvals');
};
