// @ts-check

/**
 * Promotion previews: the promotion, its diff, cost, risk findings and the
 * explanation shown with it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workload_promotions', table => {
    table.comment('A promotion of a workload from one environment to another');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('catalog entity, when previewed for one');
    table.string('workload_name', 253).notNullable();
    table.string('workload_label_selector', 1024).nullable();
    table.string('source_environment', 63).nullable();
    table.string('target_environment', 63).nullable();
    table
      .text('source')
      .notNullable()
      .comment('JSON: cluster and snapshot, or repo, path and commit');
    table.text('target').notNullable().comment('JSON, as source');
    table.string('state', 16).notNullable().comment('previewed');
    table.string('risk_level', 16).notNullable();
    table.integer('risk_score').notNullable();
    table.double('cost_baseline').notNullable().comment('USD per month');
    table.double('cost_projected').notNullable().comment('USD per month');
    table.double('cost_delta').notNullable().comment('USD per month');
    table.string('currency', 3).notNullable();
    table.text('summary').notNullable().comment('JSON: the engine summary');
    table
      .string('inputs_fingerprint', 64)
      .notNullable()
      .comment('SHA-256 of both sides and the target context');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'created_at']);
    table.index(['source_environment', 'created_at']);
    table.index(['target_environment', 'created_at']);
    table.index(['risk_level', 'created_at']);
    table.index(['created_by', 'created_at']);
    table.index(['state', 'created_at']);
    table.index(['created_at']);
  });

  await knex.schema.createTable('workload_diffs', table => {
    table.comment('One row per object of a promotion diff');
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table.integer('position').notNullable().comment('order in the diff');
    table.string('kind', 64).notNullable();
    table.string('name', 253).notNullable();
    table.string('namespace', 63).nullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('added, removed, modified, renamed, unchanged');
    table.text('object_diff').notNullable().comment('JSON: ObjectDiff');
    table.primary(['promotion_id', 'position']);
    table.index(['kind', 'name']);
  });

  await knex.schema.createTable('promotion_costs', table => {
    table.comment('Estimated monthly cost of a promotion');
    table
      .string('promotion_id', 36)
      .primary()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table.string('currency', 3).notNullable();
    table.double('baseline').notNullable();
    table.double('projected').notNullable();
    table.double('delta').notNullable();
    table.double('delta_percent').nullable();
    table.double('hours_per_month').notNullable();
    table.double('discount_percent').notNullable();
    table
      .text('details')
      .notNullable()
      .comment('JSON: lines, HPA band, node rates, warnings');
  });

  await knex.schema.createTable('promotion_risks', table => {
    table.comment('One row per risk finding of a promotion');
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table.integer('position').notNullable().comment('most severe first');
    table.string('rule_id', 64).notNullable();
    table.string('severity', 16).notNullable();
    table.string('object', 320).notNullable().comment('Kind/name');
    table.text('path').notNullable();
    table.text('message').notNullable();
    table.text('fix').notNullable();
    table.primary(['promotion_id', 'position']);
    table.index(['rule_id']);
  });

  await knex.schema.createTable('llm_explanations', table => {
    table.comment('The explanation of each promotion and how it was written');
    table.bigIncrements('id').primary();
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('workload_promotions')
      .onDelete('CASCADE');
    table
      .string('facts_hash', 64)
      .notNullable()
      .comment('SHA-256 of the facts');
    table.string('generator', 16).notNullable().comment('llm or deterministic');
    table.string('provider', 64).nullable();
    table.string('model', 128).nullable();
    table.text('text').notNullable();
    table
      .string('numbers_check', 16)
      .notNullable()
      .comment('passed, failed, not-applicable');
    table
      .text('fallback_reason')
      .nullable()
      .comment('why the LLM answer was not used');
    table.boolean('cached').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['promotion_id']);
    table.index(['facts_hash', 'generator', 'model']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('llm_explanations');
  await knex.schema.dropTable('promotion_risks');
  await knex.schema.dropTable('promotion_costs');
  await knex.schema.dropTable('workload_diffs');
  await knex.schema.dropTable('workload_promotions');
};
