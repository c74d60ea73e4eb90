import { TargetContext } from './context';
import { CostResult } from './cost';
import { ObjectMatch } from './diff';
import { compareText } from './objects';
import {
  CostGuardrail,
  RISK_RULES,
  RiskFinding,
  RiskRule,
  RuleInput,
  SEVERITIES,
  Severity,
} from './rules';

/** Per rule id: turn it off, or give its findings another severity. */
export interface RuleOverride {
  enabled?: boolean;
  severity?: Severity;
}

export interface RiskConfig {
  rules?: Record<string, RuleOverride>;
  costGuardrail?: Partial<CostGuardrail>;
}

export const DEFAULT_COST_GUARDRAIL: CostGuardrail = {
  monthlyDelta: 100,
  percentDelta: 20,
};

/**
 * Weights of the numeric score: score = min(100, sum of the weights of all
 * findings). One critical finding alone scores 40, one high 20; info adds
 * nothing, so the score tracks what needs attention.
 */
export const SEVERITY_WEIGHTS: Record<Severity, number> = {
  info: 0,
  low: 2,
  medium: 8,
  high: 20,
  critical: 40,
};

export type RiskLevel = Severity | 'none';

export interface RiskResult {
  /** The highest severity among the findings; `none` without findings. */
  riskLevel: RiskLevel;
  /** 0..100, see SEVERITY_WEIGHTS. */
  score: number;
  findings: RiskFinding[];
  /** Ids of the rules that ran. */
  rulesEvaluated: string[];
}

export interface RiskInput {
  matches: readonly ObjectMatch[];
  context?: TargetContext;
  cost?: CostResult;
}

const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

function compareFindings(a: RiskFinding, b: RiskFinding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.object, b.object) ||
    compareText(a.path, b.path) ||
    compareText(a.message, b.message)
  );
}

function unknownRuleIds(
  config: RiskConfig,
  rules: readonly RiskRule[],
): string[] {
  const known = new Set(rules.map(rule => rule.id));
  return Object.keys(config.rules ?? {}).filter(id => !known.has(id));
}

function runRule(
  rule: RiskRule,
  input: RuleInput,
  override: RuleOverride | undefined,
): RiskFinding[] {
  return rule.check(input).map(finding => ({
    ruleId: rule.id,
    ...finding,
    severity: override?.severity ?? finding.severity ?? rule.severity,
  }));
}

/**
 * Runs the rules over matched, normalized objects and grades the result.
 * Findings come out most severe first, then by rule, object and path.
 */
export function evaluateRisk(
  input: RiskInput,
  config: RiskConfig = {},
  rules: readonly RiskRule[] = RISK_RULES,
): RiskResult {
  const unknown = unknownRuleIds(config, rules);
  if (unknown.length > 0) {
    throw new Error(
      `Unknown risk rule id(s) in configuration: ${unknown.join(', ')}`,
    );
  }
  const ruleInput: RuleInput = {
    matches: input.matches,
    before: input.matches.flatMap(match =>
      match.before ? [match.before] : [],
    ),
    after: input.matches.flatMap(match => (match.after ? [match.after] : [])),
    context: input.context ?? {},
    cost: input.cost,
    guardrail: { ...DEFAULT_COST_GUARDRAIL, ...config.costGuardrail },
  };
  const enabled = rules.filter(
    rule => config.rules?.[rule.id]?.enabled !== false,
  );
  const findings = enabled
    .flatMap(rule => runRule(rule, ruleInput, config.rules?.[rule.id]))
    .sort(compareFindings);
  return {
    riskLevel: findings[0]?.severity ?? 'none',
    score: Math.min(
      100,
      findings.reduce((sum, f) => sum + SEVERITY_WEIGHTS[f.severity], 0),
    ),
    findings,
    rulesEvaluated: enabled.map(rule => rule.id),
  };
}
