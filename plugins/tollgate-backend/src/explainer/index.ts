export { ExplanationService } from './ExplanationService';
export type { ExplanationRequest } from './ExplanationService';
export { buildFacts, identifiersOf } from './facts';
export type { ExplanationFacts, FactsInput, Identifiers } from './facts';
export { LlmClient, llmConfigFrom } from './LlmClient';
export type { LlmConfig } from './LlmClient';
