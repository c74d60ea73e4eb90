import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NewExplanation } from '../stores/ExplanationStore';
import type { TollgateStores } from '../stores/TollgateStores';
import { canonicalJson, sha256Hex } from '../services/canonicalJson';
import { writeDeterministicExplanation } from './deterministic';
import type { ExplanationFacts, Identifiers } from './facts';
import { LlmError, type LlmClient } from './LlmClient';
import { checkNumbers } from './numbers';
import { buildPrompt } from './prompt';
import { Redactor } from './redaction';

export interface ExplanationRequest {
  facts: ExplanationFacts;
  identifiers: Identifiers;
}

/**
 * Writes a promotion's explanation: the deterministic text, or with an LLM
 * configured its answer, when the answer passes the checks. An LLM answer
 * that times out, fails, invents a number or an identifier is replaced by
 * the deterministic text and the reason is kept. Verified answers are
 * reused for the same facts and model.
 */
export class ExplanationService {
  constructor(
    private readonly stores: TollgateStores,
    private readonly llm?: LlmClient,
    private readonly logger?: LoggerService,
  ) {}

  async explain(request: ExplanationRequest): Promise<NewExplanation> {
    const factsHash = sha256Hex(canonicalJson(request.facts));
    const deterministic: NewExplanation = {
      text: writeDeterministicExplanation(request.facts),
      generator: 'deterministic',
      provider: null,
      model: null,
      numbers_check: 'not-applicable',
      fallback_reason: null,
      facts_hash: factsHash,
      cached: false,
    };
    if (!this.llm) return deterministic;
    const cached = await this.stores.explanations.findVerifiedAnswer(
      factsHash,
      this.llm.model,
    );
    if (cached) {
      const { created_at: _, ...answer } = cached;
      return { ...answer, cached: true };
    }
    return this.askLlm(this.llm, request, deterministic);
  }

  private async askLlm(
    llm: LlmClient,
    request: ExplanationRequest,
    deterministic: NewExplanation,
  ): Promise<NewExplanation> {
    const attempt = { provider: llm.provider, model: llm.model };
    const fallback = (
      reason: string,
      numbersCheck: NewExplanation['numbers_check'] = 'not-applicable',
    ): NewExplanation => {
      this.logger?.warn(`LLM explanation not used: ${reason}`);
      return {
        ...deterministic,
        ...attempt,
        numbers_check: numbersCheck,
        fallback_reason: reason,
      };
    };

    const prompt = buildPrompt(request.facts, request.identifiers);
    let answer: string;
    try {
      answer = await llm.complete(prompt.messages);
    } catch (error) {
      if (error instanceof LlmError) return fallback(error.reason);
      throw error;
    }
    const invented = prompt.redactor.unknownPlaceholders(answer);
    if (invented.length > 0) {
      return fallback(
        `unknown placeholders in the answer: ${invented.join(', ')}`,
      );
    }
    const numbers = checkNumbers(
      Redactor.withoutPlaceholders(answer),
      prompt.allowedNumbers,
    );
    if (!numbers.passed) {
      return fallback(
        `numbers not in the facts: ${numbers.unsupported.join(', ')}`,
        'failed',
      );
    }
    return {
      ...deterministic,
      ...attempt,
      text: prompt.redactor.restore(answer),
      generator: 'llm',
      numbers_check: 'passed',
    };
  }
}
