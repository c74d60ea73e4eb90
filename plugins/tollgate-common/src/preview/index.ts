/**
 * The pure preview engine: normalize, diff, cost and risk of a workload
 * promotion, over plain Kubernetes objects. No I/O; runs in the browser and
 * in Node.
 */
export { computePreview, inferNamespace, PreviewInputError } from './preview';
export type {
  PreviewContext,
  PreviewOptions,
  PreviewRequest,
  PreviewResult,
  PreviewSide,
  PreviewSummary,
} from './preview';

export type { K8sMetadata, K8sObject } from './objects';
export type { TargetContext, ContainerUsage } from './context';

export {
  QuantityParseError,
  parseQuantity,
  parseCpu,
  parseBytes,
  formatBytes,
  formatCores,
  BYTES_PER_GIB,
} from './quantity';

export { parseImage, isFloatingImage } from './image';
export type { ImageReference } from './image';

export {
  normalizeObject,
  normalizeObjects,
  parseJsonPointer,
  REDACTED,
} from './normalize';
export type { IgnoreRule, NormalizeOptions } from './normalize';

export {
  diffObjects,
  diffMatches,
  matchObjects,
  fieldChanges,
  unifiedYamlDiff,
  toYaml,
  DEFAULT_RENAME_THRESHOLD,
} from './diff';
export type {
  DiffResult,
  DiffSummary,
  FieldChange,
  MatchOptions,
  ObjectDiff,
  ObjectMatch,
  ObjectStatus,
} from './diff';

export { computeCost } from './cost';
export type {
  CostBand,
  CostInput,
  CostLine,
  CostResource,
  CostResult,
  CostWarning,
  HpaBand,
} from './cost';
export { splitNodePrice } from './rates';
export type { NodeRate, UnitRates } from './rates';
export { formatUsd, formatCostDelta } from './money';

export {
  createPriceBook,
  DEFAULT_RATES,
  HOURS_PER_MONTH,
  INSTANCE_PRICES,
  LOAD_BALANCER_PRICES,
  STORAGE_PRICES,
} from './pricing';
export type {
  DefaultRates,
  InstancePrice,
  InstanceQuery,
  LoadBalancerPrice,
  PriceBook,
  PriceBookOptions,
  PricedProvider,
  StoragePrice,
} from './pricing';

export { evaluateRisk, DEFAULT_COST_GUARDRAIL, SEVERITY_WEIGHTS } from './risk';
export type {
  RiskConfig,
  RiskInput,
  RiskLevel,
  RiskResult,
  RuleOverride,
} from './risk';
export { RISK_RULES, SEVERITIES } from './rules';
export type {
  CostGuardrail,
  RiskFinding,
  RiskRule,
  RuleFinding,
  RuleInput,
  Severity,
} from './rules';
