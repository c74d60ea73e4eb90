import { z } from 'zod';
import { TargetContext } from './context';
import { CostResult, computeCost } from './cost';
import {
  DiffResult,
  DiffSummary,
  ObjectMatch,
  diffMatches,
  matchObjects,
} from './diff';
import { isClusterScoped } from './kinds';
import { IgnoreRule, normalizeObjects, omitIgnoredFields } from './normalize';
import { K8sObject, compareText } from './objects';
import { PriceBook, createPriceBook } from './pricing';
import { RiskConfig, RiskLevel, RiskResult, evaluateRisk } from './risk';

/** One side of a promotion: the objects that make up the workload there. */
export interface PreviewSide {
  /** Kubernetes objects as plain JSON (from the agent's projection or Git). */
  objects: readonly unknown[];
  /** The side's namespace; inferred from the objects when absent. */
  namespace?: string;
}

/** Context of the target, as plain JSON objects (see TargetContext). */
export type PreviewContext = Omit<
  TargetContext,
  | 'nodes'
  | 'podMetrics'
  | 'pods'
  | 'resourceQuotas'
  | 'storageClasses'
  | 'namespaceObjects'
> & {
  nodes?: readonly unknown[];
  podMetrics?: readonly unknown[];
  pods?: readonly unknown[];
  resourceQuotas?: readonly unknown[];
  storageClasses?: readonly unknown[];
  namespaceObjects?: readonly unknown[];
};

export interface PreviewOptions {
  /**
   * Fields to leave out of the diff, per kind. They shape the diff only:
   * cost and risk still see them (ignoring `/spec/replicas` because an HPA
   * owns it must not make the cost forget how many replicas run).
   */
  ignore?: IgnoreRule[];
  /** Keep fields equal to API-server defaults (off: they are dropped). */
  keepDefaults?: boolean;
  /** See MatchOptions.renameThreshold (default 0.75). */
  renameThreshold?: number;
  /** Prices with overrides and discount; the shipped list when absent. */
  priceBook?: PriceBook;
  risk?: RiskConfig;
}

export interface PreviewRequest {
  /** Where the workload is promoted from (e.g. staging). */
  source: PreviewSide;
  /** Where it is promoted to (e.g. production), as it runs now. */
  target: PreviewSide;
  context?: PreviewContext;
  options?: PreviewOptions;
}

export interface PreviewSummary {
  objects: DiffSummary;
  baselineMonthly: number;
  projectedMonthly: number;
  deltaMonthly: number;
  currency: 'USD';
  costText: string;
  riskLevel: RiskLevel;
  riskScore: number;
  findings: number;
}

/** Everything the engine found, as plain serializable data. */
export interface PreviewResult {
  namespaces: { source?: string; target?: string };
  summary: PreviewSummary;
  diff: DiffResult;
  cost: CostResult;
  risk: RiskResult;
}

/**
 * Thrown for input that is not a list of Kubernetes objects. Named
 * `InputError` so Backstage's error handler answers 400.
 */
export class PreviewInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid preview input: ${issues.join('; ')}`);
    this.name = 'InputError';
  }
}

const k8sObjectSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});

const MAX_REPORTED_ISSUES = 5;

function parseObjects(
  values: readonly unknown[] | undefined,
  label: string,
  issues: string[],
) {
  const objects: K8sObject[] = [];
  (values ?? []).forEach((value, index) => {
    const parsed = k8sObjectSchema.safeParse(value);
    if (parsed.success) {
      objects.push(parsed.data as K8sObject);
    } else {
      for (const issue of parsed.error.issues) {
        issues.push(
          `${label}[${index}].${issue.path.join('.')}: ${issue.message}`,
        );
      }
    }
  });
  return objects;
}

function parseContext(
  context: PreviewContext = {},
  issues: string[],
): TargetContext {
  const { provider, region, secretNames } = context;
  return {
    ...(provider ? { provider } : {}),
    ...(region ? { region } : {}),
    ...(secretNames ? { secretNames } : {}),
    nodes: parseObjects(context.nodes, 'context.nodes', issues),
    podMetrics: parseObjects(context.podMetrics, 'context.podMetrics', issues),
    ...(context.pods
      ? { pods: parseObjects(context.pods, 'context.pods', issues) }
      : {}),
    resourceQuotas: parseObjects(
      context.resourceQuotas,
      'context.resourceQuotas',
      issues,
    ),
    storageClasses: parseObjects(
      context.storageClasses,
      'context.storageClasses',
      issues,
    ),
    namespaceObjects: parseObjects(
      context.namespaceObjects,
      'context.namespaceObjects',
      issues,
    ),
  };
}

function withoutIgnoredFields(
  matches: readonly ObjectMatch[],
  rules: readonly IgnoreRule[],
): readonly ObjectMatch[] {
  if (rules.length === 0) return matches;
  return matches.map(match => ({
    ...match,
    ...(match.before ? { before: omitIgnoredFields(match.before, rules) } : {}),
    ...(match.after ? { after: omitIgnoredFields(match.after, rules) } : {}),
  }));
}

/** The most common namespace among namespaced objects (ties: alphabetical). */
export function inferNamespace(
  objects: readonly K8sObject[],
): string | undefined {
  const counts = new Map<string, number>();
  for (const object of objects) {
    const namespace = object.metadata.namespace;
    if (namespace && !isClusterScoped(object.kind)) {
      counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort(
    (a, b) => b[1] - a[1] || compareText(a[0], b[0]),
  )[0]?.[0];
}

/**
 * The preview of a promotion: normalize both sides (source mapped into the
 * target namespace), match and diff them, price both, and find what gets
 * worse. Pure and deterministic: the same input gives the same output.
 */
export function computePreview(request: PreviewRequest): PreviewResult {
  const issues: string[] = [];
  const sourceObjects = parseObjects(
    request.source.objects,
    'source.objects',
    issues,
  );
  const targetObjects = parseObjects(
    request.target.objects,
    'target.objects',
    issues,
  );
  const context = parseContext(request.context, issues);
  if (issues.length > 0)
    throw new PreviewInputError(issues.slice(0, MAX_REPORTED_ISSUES));

  const options = request.options ?? {};
  const sourceNamespace =
    request.source.namespace ?? inferNamespace(sourceObjects);
  const targetNamespace =
    request.target.namespace ??
    inferNamespace(targetObjects) ??
    sourceNamespace;
  const normalizeOptions = {
    namespace: targetNamespace,
    keepDefaults: options.keepDefaults,
  };
  const before = normalizeObjects(targetObjects, normalizeOptions);
  const after = normalizeObjects(sourceObjects, normalizeOptions);

  const matches = matchObjects(before, after, {
    renameThreshold: options.renameThreshold,
  });
  const diff = diffMatches(withoutIgnoredFields(matches, options.ignore ?? []));
  const cost = computeCost({
    matches,
    context,
    priceBook: options.priceBook ?? createPriceBook(),
  });
  const risk = evaluateRisk({ matches, context, cost }, options.risk);
  return {
    namespaces: {
      ...(sourceNamespace ? { source: sourceNamespace } : {}),
      ...(targetNamespace ? { target: targetNamespace } : {}),
    },
    summary: {
      objects: diff.summary,
      baselineMonthly: cost.baseline,
      projectedMonthly: cost.projected,
      deltaMonthly: cost.delta,
      currency: cost.currency,
      costText: cost.text,
      riskLevel: risk.riskLevel,
      riskScore: risk.score,
      findings: risk.findings.length,
    },
    diff,
    cost,
    risk,
  };
}
