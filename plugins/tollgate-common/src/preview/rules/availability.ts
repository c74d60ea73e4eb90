import { WORKLOAD_KINDS, podTemplateOf } from '../kinds';
import {
  K8sObject,
  labelsMatch,
  objectRef,
  numberAt,
  stringAt,
  stringMapAt,
  valueAt,
} from '../objects';
import { formatPath } from '../paths';
import { expectedReplicas, hpaFor, hpaRange, specReplicas } from '../resources';
import {
  ObjectPair,
  containerPairs,
  pairsAfter,
  pairsOnBothSides,
} from './helpers';
import { RiskRule, RuleFinding, RuleInput } from './types';

const SCALABLE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/** Replicas before and after, for workloads no HPA manages after promotion. */
function fixedReplicaPairs(input: RuleInput) {
  return pairsAfter(input, SCALABLE_KINDS)
    .filter(pair => !hpaFor(pair.after as K8sObject, input.after))
    .map(pair => ({
      pair,
      before: pair.before ? specReplicas(pair.before) : undefined,
      after: specReplicas(pair.after as K8sObject),
    }));
}

export const replicasReduced: RiskRule = {
  id: 'replicas-reduced',
  title: 'Replicas reduced',
  severity: 'medium',
  check: input =>
    fixedReplicaPairs(input)
      .filter(
        ({ before, after }) =>
          before !== undefined && after > 1 && after < before,
      )
      .map(({ pair, before, after }) => ({
        message: `${pair.ref} drops from ${before} to ${after} replicas, leaving less headroom for load and failures.`,
        object: pair.ref,
        path: 'spec.replicas',
        fix: `Keep spec.replicas at ${before}, or add a HorizontalPodAutoscaler if the lower count is intended.`,
      })),
};

export const singleReplica: RiskRule = {
  id: 'single-replica',
  title: 'Single replica',
  severity: 'high',
  check: input =>
    fixedReplicaPairs(input)
      .filter(
        ({ before, after }) =>
          after === 1 && (before === undefined || before > 1),
      )
      .map(({ pair, before }) => ({
        severity: before === undefined ? 'medium' : 'high',
        message:
          before === undefined
            ? `${pair.ref} is new and runs a single replica: any restart or node drain is an outage.`
            : `${pair.ref} goes from ${before} replicas to 1: any restart or node drain becomes an outage.`,
        object: pair.ref,
        path: 'spec.replicas',
        fix: 'Run at least 2 replicas (with a PodDisruptionBudget) for anything that serves traffic.',
      })),
};

export const pdbRemoved: RiskRule = {
  id: 'pdb-removed',
  title: 'PodDisruptionBudget removed',
  severity: 'medium',
  check: input =>
    input.matches
      .filter(
        match => match.before?.kind === 'PodDisruptionBudget' && !match.after,
      )
      .map(match => {
        const ref = `PodDisruptionBudget/${match.before?.metadata.name}`;
        return {
          message: `${ref} exists in the target but not in the source: node drains and upgrades could evict every pod at once.`,
          object: ref,
          path: '',
          fix: 'Carry the PodDisruptionBudget over to the source manifests.',
        };
      }),
};

/** True when the budget lets no pod be evicted at this replica count. */
function blocksEviction(pdb: K8sObject, replicas: number): boolean {
  const maxUnavailable = valueAt(pdb, 'spec', 'maxUnavailable');
  if (maxUnavailable !== undefined) {
    return maxUnavailable === 0 || maxUnavailable === '0%';
  }
  const minAvailable = valueAt(pdb, 'spec', 'minAvailable');
  if (typeof minAvailable === 'number') return minAvailable >= replicas;
  if (typeof minAvailable === 'string' && minAvailable.endsWith('%')) {
    return (
      Math.ceil((Number(minAvailable.slice(0, -1)) * replicas) / 100) >=
      replicas
    );
  }
  return false;
}

function workloadsSelectedBy(
  pdb: K8sObject,
  objects: readonly K8sObject[],
): K8sObject[] {
  const selector = stringMapAt(pdb, 'spec', 'selector', 'matchLabels');
  return objects.filter(object => {
    if (!SCALABLE_KINDS.includes(object.kind)) return false;
    return labelsMatch(
      selector,
      stringMapAt(podTemplateOf(object), 'metadata', 'labels'),
    );
  });
}

function replicasIn(
  workload: K8sObject,
  objects: readonly K8sObject[],
): number {
  return expectedReplicas(workload, hpaFor(workload, objects));
}

function wasBlocking(
  pair: ObjectPair,
  workload: K8sObject,
  input: RuleInput,
): boolean {
  const previous = input.before.find(
    object =>
      object.kind === workload.kind &&
      object.metadata.name === workload.metadata.name,
  );
  if (!pair.before || !previous) return false;
  return blocksEviction(pair.before, replicasIn(previous, input.before));
}

function blockingFinding(
  pdbRef: string,
  pdb: K8sObject,
  workload: K8sObject,
  replicas: number,
): RuleFinding {
  const hasMax = valueAt(pdb, 'spec', 'maxUnavailable') !== undefined;
  const field = hasMax ? 'maxUnavailable' : 'minAvailable';
  const setting = `${field} ${String(valueAt(pdb, 'spec', field))}`;
  const target = objectRef(workload);
  const safeMin = Math.max(replicas - 1, 0);
  return {
    message: `${pdbRef} allows no eviction of ${target} (${setting} with ${replicas} replicas): node drains and cluster upgrades will hang.`,
    object: pdbRef,
    path: `spec.${field}`,
    fix: `Set minAvailable below the replica count (e.g. ${safeMin}) or maxUnavailable to at least 1.`,
  };
}

export const pdbUnsatisfiable: RiskRule = {
  id: 'pdb-unsatisfiable',
  title: 'PodDisruptionBudget blocks every eviction',
  severity: 'high',
  check: input =>
    pairsAfter(input, ['PodDisruptionBudget']).flatMap(pair => {
      const pdb = pair.after as K8sObject;
      return workloadsSelectedBy(pdb, input.after).flatMap(workload => {
        const replicas = replicasIn(workload, input.after);
        if (!blocksEviction(pdb, replicas)) return [];
        if (wasBlocking(pair, workload, input)) return [];
        return [blockingFinding(pair.ref, pdb, workload, replicas)];
      });
    }),
};

function probeRemovedRule(
  probe: 'readinessProbe' | 'livenessProbe',
  id: string,
  severity: RiskRule['severity'],
  consequence: string,
): RiskRule {
  return {
    id,
    title: `${probe} removed`,
    severity,
    check: input =>
      pairsOnBothSides(input, WORKLOAD_KINDS).flatMap(pair =>
        containerPairs(pair)
          .filter(
            container => container.before?.[probe] && !container.after[probe],
          )
          .map(
            (container): RuleFinding => ({
              message: `${container.label} loses its ${probe}: ${consequence}`,
              object: pair.ref,
              path: container.path(probe),
              fix: `Keep the ${probe} from the target's current spec.`,
            }),
          ),
      ),
  };
}

export const readinessProbeRemoved = probeRemovedRule(
  'readinessProbe',
  'readiness-probe-removed',
  'high',
  'pods get traffic before they are ready, and rollouts no longer wait for them.',
);

export const livenessProbeRemoved = probeRemovedRule(
  'livenessProbe',
  'liveness-probe-removed',
  'medium',
  'a hung process is no longer restarted.',
);

export const recreateStrategy: RiskRule = {
  id: 'recreate-strategy',
  title: 'Recreate strategy introduced',
  severity: 'medium',
  check: input =>
    pairsOnBothSides(input, ['Deployment'])
      .filter(
        pair =>
          stringAt(pair.after, 'spec', 'strategy', 'type') === 'Recreate' &&
          stringAt(pair.before, 'spec', 'strategy', 'type') !== 'Recreate',
      )
      .map(pair => ({
        message: `${pair.ref} switches to the Recreate strategy: every pod stops before new ones start, so each rollout is downtime.`,
        object: pair.ref,
        path: 'spec.strategy.type',
        fix: 'Use RollingUpdate unless the application cannot run two versions at once.',
      })),
};

export const hpaMaxBelowReplicas: RiskRule = {
  id: 'hpa-max-below-replicas',
  title: 'HPA maxReplicas below current replicas',
  severity: 'medium',
  check: input =>
    pairsAfter(input, ['HorizontalPodAutoscaler']).flatMap(pair => {
      const hpa = pair.after as K8sObject;
      const kind = stringAt(hpa, 'spec', 'scaleTargetRef', 'kind');
      const name = stringAt(hpa, 'spec', 'scaleTargetRef', 'name');
      const running = input.before.find(
        o => o.kind === kind && o.metadata.name === name,
      );
      const current = running
        ? numberAt(running, 'spec', 'replicas')
        : undefined;
      const { max } = hpaRange(hpa);
      const previousMax = pair.before ? hpaRange(pair.before).max : undefined;
      if (current === undefined || max >= current) return [];
      if (previousMax !== undefined && previousMax < current) return [];
      return [
        {
          message: `${pair.ref} caps ${kind}/${name} at ${max} replicas while ${current} run now: it scales down as soon as it applies.`,
          object: pair.ref,
          path: formatPath(['spec', 'maxReplicas']),
          fix: `Raise maxReplicas to at least ${current}, or confirm the lower capacity is enough.`,
        },
      ];
    }),
};
