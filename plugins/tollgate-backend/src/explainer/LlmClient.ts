import type { RootConfigService } from '@backstage/backend-plugin-api';
import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatMessage } from './prompt';

export interface LlmConfig {
  /** OpenAI-compatible base URL: OpenAI, Azure OpenAI's `/openai/v1/`, Ollama's `/v1`. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** `tollgate.explainer.llm`, or undefined when no LLM is configured. */
export function llmConfigFrom(
  config: RootConfigService,
): LlmConfig | undefined {
  const llm = config.getOptionalConfig('tollgate.explainer.llm');
  if (!llm) return undefined;
  return {
    baseUrl: llm.getString('baseUrl'),
    apiKey: llm.getOptionalString('apiKey'),
    model: llm.getString('model'),
    timeoutMs: llm.getOptionalNumber('timeoutMs') ?? DEFAULT_TIMEOUT_MS,
  };
}

/** Raised for any failed completion, with a reason fit for the record. */
export class LlmError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'LlmError';
  }
}

/** One chat completion from an OpenAI-compatible endpoint; no retries. */
export class LlmClient {
  readonly provider = 'openai-compatible';
  private readonly client: OpenAI;

  constructor(readonly config: LlmConfig) {
    this.client = new OpenAI({
      baseURL: config.baseUrl,
      // Local servers such as Ollama take any key.
      apiKey: config.apiKey || 'unused',
      timeout: config.timeoutMs,
      maxRetries: 0,
    });
  }

  get model(): string {
    return this.config.model;
  }

  async complete(messages: ChatMessage[]): Promise<string> {
    // Our own deadline covers the whole exchange, body included.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.timeoutMs);
    try {
      const completion = await this.client.chat.completions.create(
        { model: this.config.model, messages, temperature: 0 },
        { signal: deadline.signal },
      );
      const text = completion.choices[0]?.message?.content?.trim();
      if (!text) throw new LlmError('the answer was empty');
      return text;
    } catch (error) {
      throw new LlmError(this.describe(error, deadline.signal.aborted));
    } finally {
      clearTimeout(timer);
    }
  }

  private describe(error: unknown, timedOut: boolean): string {
    if (error instanceof LlmError) return error.reason;
    if (timedOut || error instanceof APIConnectionTimeoutError) {
      return `timed out after ${this.config.timeoutMs} ms`;
    }
    if (error instanceof APIError && error.status) {
      return `HTTP ${error.status} from the LLM endpoint: ${error.message}`;
    }
    return `request failed: ${(error as Error).message}`;
  }
}
