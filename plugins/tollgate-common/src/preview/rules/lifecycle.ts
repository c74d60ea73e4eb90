import { formatCostDelta, formatUsd } from '../money';
import { K8sObject, objectRef } from '../objects';
import { RiskRule, RuleFinding } from './types';

/** apiVersions removed from Kubernetes, with the replacement and release. */
const REMOVED_APIS: Record<
  string,
  { replacement: string; removedIn: string; kinds?: string[] }
> = {
  'extensions/v1beta1': {
    replacement: 'apps/v1 (networking.k8s.io/v1 for Ingress and NetworkPolicy)',
    removedIn: '1.16/1.22',
  },
  'apps/v1beta1': { replacement: 'apps/v1', removedIn: '1.16' },
  'apps/v1beta2': { replacement: 'apps/v1', removedIn: '1.16' },
  'networking.k8s.io/v1beta1': {
    replacement: 'networking.k8s.io/v1',
    removedIn: '1.22',
  },
  'rbac.authorization.k8s.io/v1beta1': {
    replacement: 'rbac.authorization.k8s.io/v1',
    removedIn: '1.22',
  },
  'policy/v1beta1': { replacement: 'policy/v1', removedIn: '1.25' },
  'batch/v1beta1': {
    replacement: 'batch/v1',
    removedIn: '1.25',
    kinds: ['CronJob'],
  },
  'discovery.k8s.io/v1beta1': {
    replacement: 'discovery.k8s.io/v1',
    removedIn: '1.25',
  },
  'autoscaling/v2beta1': { replacement: 'autoscaling/v2', removedIn: '1.25' },
  'autoscaling/v2beta2': { replacement: 'autoscaling/v2', removedIn: '1.26' },
};

function removedApiOf(object: K8sObject) {
  const removed = REMOVED_APIS[object.apiVersion];
  if (!removed || (removed.kinds && !removed.kinds.includes(object.kind))) {
    return undefined;
  }
  return removed;
}

export const deprecatedApi: RiskRule = {
  id: 'deprecated-api',
  title: 'Removed or deprecated apiVersion',
  severity: 'high',
  check: input =>
    input.after.flatMap(object => {
      const removed = removedApiOf(object);
      if (!removed) return [];
      const { apiVersion } = object;
      const ref = objectRef(object);
      return [
        {
          message: `${ref} uses ${apiVersion}, removed in Kubernetes ${removed.removedIn}: the apply fails on current clusters.`,
          object: ref,
          path: 'apiVersion',
          fix: `Migrate to ${removed.replacement}.`,
        },
      ];
    }),
};

function percentText(deltaPercent: number | null): string {
  return deltaPercent === null ? 'from nothing' : `${deltaPercent.toFixed(1)}%`;
}

export const costGuardrail: RiskRule = {
  id: 'cost-guardrail',
  title: 'Cost increase above guardrail',
  severity: 'medium',
  check: input => {
    const cost = input.cost;
    if (!cost || cost.delta <= 0) return [];
    const { monthlyDelta, percentDelta } = input.guardrail;
    const overAmount = cost.delta > monthlyDelta;
    const overPercent =
      cost.deltaPercent !== null && cost.deltaPercent > percentDelta;
    if (!overAmount && !overPercent) return [];
    const biggest = [...cost.lines].sort((a, b) => b.delta - a.delta)[0];
    const change = formatCostDelta(cost.baseline, cost.projected);
    const rise = `${change}, ${percentText(cost.deltaPercent)}`;
    const guardrails = `${formatUsd(monthlyDelta)} and ${percentDelta}%`;
    const largest = `${biggest.object} ${biggest.resource} ${biggest.text}`;
    const finding: RuleFinding = {
      severity: overAmount && overPercent ? 'high' : 'medium',
      message: `Monthly cost rises ${rise}; guardrails are ${guardrails}. Largest increase: ${largest}.`,
      object: biggest.object,
      path: '',
      fix: 'Check requests and replicas against observed usage, or get the increase approved.',
    };
    return [finding];
  },
};

// Kinds whose removal a dedicated rule already reports.
const REPORTED_ELSEWHERE = ['PodDisruptionBudget'];

export const targetDrift: RiskRule = {
  id: 'target-drift',
  title: 'Object only in the target',
  severity: 'low',
  check: input =>
    input.matches
      .filter(match => match.before && !match.after)
      .filter(match => !REPORTED_ELSEWHERE.includes(match.before?.kind ?? ''))
      .map(match => {
        const ref = objectRef(match.before as NonNullable<typeof match.before>);
        return {
          message: `${ref} exists in the target but not in the source: it drifted or was added by hand. The promotion leaves it alone, or deletes it if the sync prunes.`,
          object: ref,
          path: '',
          fix: 'Add it to the source manifests if it is needed, or delete it from the target.',
        };
      }),
};
