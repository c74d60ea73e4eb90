import { TargetContext } from '../context';
import { CostResult } from '../cost';
import { ObjectMatch } from '../diff';
import { K8sObject } from '../objects';

export const SEVERITIES = [
  'info',
  'low',
  'medium',
  'high',
  'critical',
] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Something that gets worse if the promotion goes ahead. */
export interface RiskFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** `Kind/name` of the object concerned. */
  object: string;
  /** Field path, e.g. `spec.template.spec.containers[name=api].image`; '' for the whole object. */
  path: string;
  /** What to do about it. */
  fix: string;
}

/** What a rule reports; the rule's own severity applies unless it sets one. */
export type RuleFinding = Omit<RiskFinding, 'ruleId' | 'severity'> & {
  severity?: Severity;
};

export interface CostGuardrail {
  /** Flag a monthly increase above this many USD. */
  monthlyDelta: number;
  /** Flag a monthly increase above this percentage of the baseline. */
  percentDelta: number;
}

/** Everything a rule may look at. Objects are normalized. */
export interface RuleInput {
  /** Objects matched across sides: before = target now, after = after promotion. */
  matches: readonly ObjectMatch[];
  before: readonly K8sObject[];
  after: readonly K8sObject[];
  context: TargetContext;
  cost?: CostResult;
  guardrail: CostGuardrail;
}

export interface RiskRule {
  id: string;
  title: string;
  /** Default severity; configuration can re-grade it. */
  severity: Severity;
  check(input: RuleInput): RuleFinding[];
}
