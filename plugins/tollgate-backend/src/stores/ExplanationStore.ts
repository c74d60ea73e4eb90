import type { Knex } from 'knex';
import type {
  ExplanationGenerator,
  NumbersCheck,
  PromotionExplanation,
} from '@tollgate/plugin-tollgate-common';
import { toIsoString } from './timestamps';

/** An explanation as written, before it is attached to a promotion. */
export type NewExplanation = Omit<PromotionExplanation, 'created_at'>;

type ExplanationRow = {
  id?: number | string;
  promotion_id: string;
  facts_hash: string;
  generator: string;
  provider: string | null;
  model: string | null;
  text: string;
  numbers_check: string;
  fallback_reason: string | null;
  cached: boolean | number;
  created_at: Date | string | number;
};

/** SQL for `llm_explanations`: every explanation, and the LLM answer cache. */
export class ExplanationStore {
  constructor(private readonly db: Knex) {}

  async insert(
    promotionId: string,
    explanation: NewExplanation,
    now: Date,
  ): Promise<PromotionExplanation> {
    await this.db<ExplanationRow>('llm_explanations').insert({
      promotion_id: promotionId,
      facts_hash: explanation.facts_hash,
      generator: explanation.generator,
      provider: explanation.provider,
      model: explanation.model,
      text: explanation.text,
      numbers_check: explanation.numbers_check,
      fallback_reason: explanation.fallback_reason,
      cached: explanation.cached,
      created_at: now,
    });
    return { ...explanation, created_at: now.toISOString() };
  }

  /** The promotion's newest explanation. */
  async latestFor(
    promotionId: string,
  ): Promise<PromotionExplanation | undefined> {
    const row = await this.db<ExplanationRow>('llm_explanations')
      .where({ promotion_id: promotionId })
      .orderBy('id', 'desc')
      .first();
    return row && fromRow(row);
  }

  /** An LLM answer for the same facts and model that passed the numbers check. */
  async findVerifiedAnswer(
    factsHash: string,
    model: string,
  ): Promise<PromotionExplanation | undefined> {
    const row = await this.db<ExplanationRow>('llm_explanations')
      .where({
        facts_hash: factsHash,
        generator: 'llm',
        model,
        numbers_check: 'passed',
      })
      .orderBy('id', 'desc')
      .first();
    return row && fromRow(row);
  }
}

function fromRow(row: ExplanationRow): PromotionExplanation {
  return {
    text: row.text,
    generator: row.generator as ExplanationGenerator,
    provider: row.provider,
    model: row.model,
    numbers_check: row.numbers_check as NumbersCheck,
    fallback_reason: row.fallback_reason,
    facts_hash: row.facts_hash,
    cached: Boolean(row.cached),
    created_at: toIsoString(row.created_at),
  };
}
