import {
  formatUsd,
  REDACTED,
  type DiffSummary,
  type FieldChange,
  type K8sObject,
  type ObjectDiff,
  type ObjectStatus,
  type PreviewResult,
  type PromotionSide,
  type RiskLevel,
  type Severity,
} from '@tollgate/plugin-tollgate-common';

/**
 * Everything an explanation may say, computed by Tollgate. Both explainers
 * write from these facts only; the LLM never sees anything else.
 */
export interface ExplanationFacts {
  workload: string;
  source: SideFacts;
  target: SideFacts;
  objects: DiffSummary;
  /** Objects that change, most telling first; at most MAX_OBJECTS. */
  changes: ObjectFacts[];
  /** Changed objects left out of `changes`. */
  moreChangedObjects: number;
  cost: CostFacts;
  risk: RiskFacts;
}

export interface SideFacts {
  environment: string | null;
  cluster: string | null;
  namespace: string | null;
  git: { repo: string; ref: string; path: string } | null;
}

/** A changed field; values come from manifests (data, not instructions). */
export interface FieldFacts {
  path: string;
  change: FieldChange['type'];
  before?: FactValue;
  after?: FactValue;
  /** True when values are not shown: env, Secret and credential fields. */
  hidden?: true;
}

export type FactValue = string | number | boolean;

export interface ObjectFacts {
  object: string;
  status: ObjectStatus;
  previousName?: string;
  fields: FieldFacts[];
  moreFields: number;
}

export interface CostFacts {
  currency: 'USD';
  /** Monthly amounts as shown to people: `$1,234.50`. */
  baseline: string;
  projected: string;
  /** Signed: `+$22.49`, `-$5.00`, `$0.00`. */
  delta: string;
  /** `50.0%` of the baseline; null when the baseline is 0. */
  deltaPercent: string | null;
  direction: 'increase' | 'decrease' | 'unchanged';
  /** Infracost style: `+$22.49 ($44.99 -> $67.48)`. */
  text: string;
  /** Lines with the largest change first; at most MAX_COST_LINES. */
  lines: Array<{ object: string; resource: string; text: string }>;
  warnings: string[];
}

export interface RiskFacts {
  level: RiskLevel;
  score: number;
  count: number;
  /** Most severe first; at most MAX_RISKS. */
  top: Array<{
    severity: Severity;
    rule: string;
    object: string;
    message: string;
    fix: string;
  }>;
}

/** Real identifiers in the facts, replaced by placeholders for an LLM. */
export interface Identifiers {
  names: string[];
  namespaces: string[];
  images: string[];
  clusters: string[];
  repos: string[];
}

export interface FactsInput {
  workload: string;
  source: PromotionSide;
  target: PromotionSide;
  result: PreviewResult;
  /** Both sides' objects, to find every image and container name. */
  objects: readonly K8sObject[];
}

const MAX_OBJECTS = 12;
const MAX_FIELDS = 10;
const MAX_COST_LINES = 6;
const MAX_RISKS = 5;
const MAX_WARNINGS = 3;
const MAX_VALUE_LENGTH = 160;

const STATUS_ORDER: ObjectStatus[] = [
  'modified',
  'renamed',
  'added',
  'removed',
  'unchanged',
];

/** Values of these fields are never shown, not even redacted ones. */
const SENSITIVE_PATH =
  /(^|\.)(env|envFrom)(\[|\.|$)|secret|password|passwd|token|credential|api[-_]?key/i;

export function buildFacts(input: FactsInput): ExplanationFacts {
  const { result } = input;
  const changed = result.diff.objects
    .filter(diff => diff.status !== 'unchanged')
    .sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        Number(onlyMetadataChanges(a)) - Number(onlyMetadataChanges(b)) ||
        Number(!isController(a)) - Number(!isController(b)),
    );
  return {
    workload: input.workload,
    source: sideFacts(input.source),
    target: sideFacts(input.target),
    objects: result.diff.summary,
    changes: changed.slice(0, MAX_OBJECTS).map(objectFacts),
    moreChangedObjects: Math.max(changed.length - MAX_OBJECTS, 0),
    cost: costFacts(result),
    risk: riskFacts(result),
  };
}

/** Every identifier the facts may contain, for placeholders. */
export function identifiersOf(input: FactsInput): Identifiers {
  const sides = [input.source, input.target];
  const diffNames = input.result.diff.objects.flatMap(diff => [
    diff.name,
    ...(diff.previousName ? [diff.previousName] : []),
  ]);
  const objectNames = input.objects.map(object => object.metadata.name);
  return {
    names: distinct([
      input.workload,
      ...diffNames,
      ...objectNames,
      ...containerNamesOf(input.objects),
    ]),
    namespaces: distinct([
      ...sides.flatMap(side =>
        side.type === 'cluster' ? [side.namespace] : [],
      ),
      ...input.objects.flatMap(o => o.metadata.namespace ?? []),
      ...input.result.diff.objects.flatMap(diff => diff.namespace ?? []),
    ]),
    images: distinct(imagesOf(input.objects)),
    clusters: distinct(
      sides.flatMap(side =>
        side.type === 'cluster' ? [side.cluster_name] : [],
      ),
    ),
    repos: distinct(
      sides.flatMap(side =>
        side.type === 'git' ? [side.repo, side.path] : [],
      ),
    ),
  };
}

function sideFacts(side: PromotionSide): SideFacts {
  if (side.type === 'cluster') {
    return {
      environment: side.environment,
      cluster: side.cluster_name,
      namespace: side.namespace,
      git: null,
    };
  }
  return {
    environment: side.environment,
    cluster: null,
    namespace: null,
    git: { repo: side.repo, ref: side.ref, path: side.path },
  };
}

const CONTROLLER_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function isController(diff: ObjectDiff): boolean {
  return CONTROLLER_KINDS.has(diff.kind);
}

const isMetadataChange = (change: FieldChange) =>
  change.path.startsWith('metadata.');

function onlyMetadataChanges(diff: ObjectDiff): boolean {
  return diff.changes.every(isMetadataChange);
}

function objectFacts(diff: ObjectDiff): ObjectFacts {
  // What the workload does first; label and annotation bookkeeping after.
  const changes = [
    ...diff.changes.filter(change => !isMetadataChange(change)),
    ...diff.changes.filter(isMetadataChange),
  ];
  return {
    object: `${diff.kind}/${diff.name}`,
    status: diff.status,
    ...(diff.previousName ? { previousName: diff.previousName } : {}),
    fields: changes.slice(0, MAX_FIELDS).map(fieldFacts),
    moreFields: Math.max(diff.changes.length - MAX_FIELDS, 0),
  };
}

function fieldFacts(change: FieldChange): FieldFacts {
  const facts: FieldFacts = { path: change.path, change: change.type };
  const values = [change.before, change.after];
  if (SENSITIVE_PATH.test(change.path) || values.some(isRedacted)) {
    return { ...facts, hidden: true };
  }
  const before = factValue(change.before);
  const after = factValue(change.after);
  return {
    ...facts,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

function isRedacted(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(REDACTED);
}

function factValue(value: unknown): FactValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH
    ? `${text.slice(0, MAX_VALUE_LENGTH)}…`
    : text;
}

function costFacts(result: PreviewResult): CostFacts {
  const { cost } = result;
  const sign = cost.delta > 0.005 ? '+' : '';
  const lines = cost.lines
    .filter(line => Math.abs(line.delta) >= 0.005)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, MAX_COST_LINES);
  return {
    currency: cost.currency,
    baseline: formatUsd(cost.baseline),
    projected: formatUsd(cost.projected),
    delta: `${sign}${formatUsd(cost.delta)}`,
    deltaPercent:
      cost.deltaPercent === null
        ? null
        : `${Math.abs(cost.deltaPercent).toFixed(1)}%`,
    direction: directionOf(cost.text),
    text: cost.text,
    lines: lines.map(line => ({
      object: line.object,
      resource: line.resource,
      text: line.text,
    })),
    warnings: cost.warnings.slice(0, MAX_WARNINGS).map(w => w.message),
  };
}

/** From the rounded text, so the words agree with the amounts shown. */
function directionOf(text: string): CostFacts['direction'] {
  if (text.startsWith('+')) return 'increase';
  if (text.startsWith('-')) return 'decrease';
  return 'unchanged';
}

function riskFacts(result: PreviewResult): RiskFacts {
  const { risk } = result;
  return {
    level: risk.riskLevel,
    score: risk.score,
    count: risk.findings.length,
    top: risk.findings.slice(0, MAX_RISKS).map(finding => ({
      severity: finding.severity,
      rule: finding.ruleId,
      object: finding.object,
      message: finding.message,
      fix: finding.fix,
    })),
  };
}

/** Calls `visit` for every field of every object nested in `node`. */
function walk(
  node: unknown,
  visit: (field: string, value: unknown) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach(item => walk(item, visit));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [field, value] of Object.entries(node)) {
    visit(field, value);
    walk(value, visit);
  }
}

function imagesOf(objects: readonly K8sObject[]): string[] {
  const images: string[] = [];
  walk(objects, (field, value) => {
    if (field === 'image' && typeof value === 'string') images.push(value);
  });
  return images;
}

function containerNamesOf(objects: readonly K8sObject[]): string[] {
  const names: string[] = [];
  walk(objects, (field, value) => {
    if (!Array.isArray(value)) return;
    if (field !== 'containers' && field !== 'initContainers') return;
    for (const container of value) {
      if (typeof container?.name === 'string') names.push(container.name);
    }
  });
  return names;
}

function distinct(values: string[]): string[] {
  return [...new Set(values.filter(value => value.length > 0))];
}
