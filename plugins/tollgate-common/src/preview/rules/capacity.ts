import { candidateNodes, nodeResource, workloadUsage } from '../context';
import { WORKLOAD_KINDS, isWorkload, podSpecOf } from '../kinds';
import {
  JsonRecord,
  K8sObject,
  recordAt,
  stringAt,
  stringMapAt,
  valueAt,
} from '../objects';
import { formatPath, podSpecFieldPath } from '../paths';
import { formatBytes, formatCores, optionalQuantity } from '../quantity';
import {
  PodRequests,
  containerResources,
  expectedReplicas,
  hpaFor,
  longRunningContainers,
  podRequests,
} from '../resources';
import { ContainerPair, allContainerPairs, pairsAfter } from './helpers';
import { RiskRule, RuleFinding, RuleInput } from './types';

const CPU_AND_MEMORY = ['cpu', 'memory'] as const;
type CpuOrMemory = (typeof CPU_AND_MEMORY)[number];

/** a > b beyond floating-point noise (2 x 0.45 - 2 x 0.25 is not quite 0.4). */
function exceeds(a: number, b: number): boolean {
  return a - b > 1e-9 * Math.max(1, Math.abs(b));
}

function safeQuantity(value: unknown): number {
  try {
    return optionalQuantity(value) ?? 0;
  } catch {
    return 0;
  }
}

function resourceField(
  container: JsonRecord | undefined,
  kind: 'requests' | 'limits',
  resource: CpuOrMemory,
): unknown {
  return valueAt(container, 'resources', kind, resource);
}

function lostRequest(container: ContainerPair, resource: CpuOrMemory) {
  return (
    resourceField(container.before, 'requests', resource) !== undefined &&
    resourceField(container.after, 'requests', resource) === undefined &&
    resourceField(container.after, 'limits', resource) === undefined
  );
}

export const requestsRemoved: RiskRule = {
  id: 'requests-removed',
  title: 'Resource requests removed',
  severity: 'medium',
  check: input =>
    allContainerPairs(input).flatMap(({ pair, container }) =>
      CPU_AND_MEMORY.filter(resource => lostRequest(container, resource)).map(
        resource => {
          const was = String(
            resourceField(container.before, 'requests', resource),
          );
          return {
            message: `${container.label} loses its ${resource} request: the scheduler no longer reserves capacity for it, and it is evicted first.`,
            object: pair.ref,
            path: container.path('resources', 'requests', resource),
            fix: `Keep a ${resource} request (the target has ${was}).`,
          };
        },
      ),
    ),
};

const LIMIT_CONSEQUENCES: Record<CpuOrMemory, string> = {
  memory: 'a leak can take memory from every pod on its node',
  cpu: 'it can starve neighbours of CPU',
};

export const limitsRemoved: RiskRule = {
  id: 'limits-removed',
  title: 'Resource limits removed',
  severity: 'low',
  check: input =>
    allContainerPairs(input).flatMap(({ pair, container }) =>
      CPU_AND_MEMORY.filter(
        resource =>
          resourceField(container.before, 'limits', resource) !== undefined &&
          resourceField(container.after, 'limits', resource) === undefined,
      ).map((resource): RuleFinding => {
        const was = String(resourceField(container.before, 'limits', resource));
        return {
          severity: resource === 'memory' ? 'medium' : 'low',
          message: `${container.label} loses its ${resource} limit: ${LIMIT_CONSEQUENCES[resource]}.`,
          object: pair.ref,
          path: container.path('resources', 'limits', resource),
          fix: `Keep the ${resource} limit (the target has ${was}).`,
        };
      }),
    ),
};

export const memoryLimitBelowUsage: RiskRule = {
  id: 'memory-limit-below-usage',
  title: 'Memory limit below observed usage',
  severity: 'high',
  check: input =>
    allContainerPairs(input).flatMap(({ pair, container }) => {
      const usage = workloadUsage(pair.before, input.context.podMetrics);
      const peak = usage.peakMemoryBytes.get(container.name);
      const limit = containerResources(container.after).memoryLimit;
      if (peak === undefined || limit === undefined || limit >= peak) return [];
      const previous =
        container.before && containerResources(container.before).memoryLimit;
      if (previous !== undefined && previous < peak) return [];
      const suggestedMi = Math.ceil((peak * 1.25) / 2 ** 20);
      const [limitText, peakText] = [formatBytes(limit), formatBytes(peak)];
      return [
        {
          message: `${container.label} gets a memory limit of ${limitText}, below the ${peakText} it uses now: it will be OOM-killed.`,
          object: pair.ref,
          path: container.path('resources', 'limits', 'memory'),
          fix: `Set the memory limit above the observed peak, e.g. ${suggestedMi}Mi.`,
        },
      ];
    }),
};

/** Totals a ResourceQuota can limit, for all objects of one side. */
type QuotaTotals = Record<string, number>;

function addTo(totals: QuotaTotals, key: string, amount: number): void {
  totals[key] = (totals[key] ?? 0) + amount;
}

function addWorkload(
  workload: K8sObject,
  objects: readonly K8sObject[],
  totals: QuotaTotals,
): void {
  const replicas = expectedReplicas(workload, hpaFor(workload, objects));
  const podSpec = podSpecOf(workload);
  const requests = podRequests(podSpec);
  addTo(totals, 'requests.cpu', replicas * requests.cpuCores);
  addTo(totals, 'requests.memory', replicas * requests.memoryBytes);
  addTo(totals, 'requests.nvidia.com/gpu', replicas * requests.gpus);
  addTo(totals, 'pods', replicas);
  for (const container of longRunningContainers(podSpec)) {
    const { cpuLimit = 0, memoryLimit = 0 } = containerResources(
      container.spec,
    );
    addTo(totals, 'limits.cpu', replicas * cpuLimit);
    addTo(totals, 'limits.memory', replicas * memoryLimit);
  }
}

/**
 * What a side's objects take from a quota. DaemonSets are left out: their
 * pod count follows the nodes, not the manifest.
 */
function sideTotals(objects: readonly K8sObject[]): QuotaTotals {
  const totals: QuotaTotals = {};
  for (const object of objects) {
    if (isWorkload(object) && object.kind !== 'DaemonSet') {
      addWorkload(object, objects, totals);
    }
    if (object.kind === 'PersistentVolumeClaim') {
      const storage = valueAt(
        object,
        'spec',
        'resources',
        'requests',
        'storage',
      );
      addTo(totals, 'persistentvolumeclaims', 1);
      addTo(totals, 'requests.storage', safeQuantity(storage));
    }
    if (stringAt(object, 'spec', 'type') === 'LoadBalancer') {
      addTo(totals, 'services.loadbalancers', 1);
    }
  }
  return totals;
}

/** Quota keys that mean the same thing as another key. */
const QUOTA_ALIASES: Record<string, string> = {
  cpu: 'requests.cpu',
  memory: 'requests.memory',
};

function describeAmount(key: string, amount: number): string {
  if (key.endsWith('.cpu')) return formatCores(amount);
  if (key.endsWith('.memory') || key === 'requests.storage') {
    return formatBytes(amount);
  }
  return String(Number(amount.toFixed(3)));
}

function quotaFindings(
  quota: K8sObject,
  before: QuotaTotals,
  after: QuotaTotals,
): RuleFinding[] {
  const hard = recordAt(quota, 'spec', 'hard') ?? {};
  const ref = `ResourceQuota/${quota.metadata.name}`;
  return Object.keys(hard)
    .sort()
    .flatMap(rawKey => {
      const key = QUOTA_ALIASES[rawKey] ?? rawKey;
      const increase = (after[key] ?? 0) - (before[key] ?? 0);
      if (!(key in after) || increase <= 0) return [];
      const limit = safeQuantity(hard[rawKey]);
      const used = safeQuantity(valueAt(quota, 'status', 'used', rawKey));
      const headroom = limit - used;
      if (!exceeds(increase, headroom)) return [];
      const show = (amount: number) => describeAmount(key, amount);
      const [needed, left] = [show(increase), show(Math.max(headroom, 0))];
      const state = `hard ${show(limit)}, used ${show(used)}`;
      return [
        {
          message: `The promotion needs ${needed} more ${rawKey}, but ${ref} has ${left} left (${state}): new pods will be rejected.`,
          object: ref,
          path: formatPath(['spec', 'hard', rawKey]),
          fix: `Raise the quota's ${rawKey} or lower the workload's requests or replicas.`,
        },
      ];
    });
}

export const quotaExceeded: RiskRule = {
  id: 'quota-exceeded',
  title: 'ResourceQuota headroom exceeded',
  severity: 'high',
  check: input => {
    const before = sideTotals(input.before);
    const after = sideTotals(input.after);
    return (input.context.resourceQuotas ?? []).flatMap(quota =>
      quotaFindings(quota, before, after),
    );
  },
};

interface Capacity {
  cpuCores: number;
  memoryBytes: number;
}

function allocatable(node: K8sObject): Capacity {
  const amount = (resource: string) =>
    nodeResource(node, 'allocatable', resource) ??
    nodeResource(node, 'capacity', resource) ??
    0;
  return { cpuCores: amount('cpu'), memoryBytes: amount('memory') };
}

function fitsOn(pod: PodRequests, node: K8sObject): boolean {
  const room = allocatable(node);
  return pod.cpuCores <= room.cpuCores && pod.memoryBytes <= room.memoryBytes;
}

function unschedulablePods(
  input: RuleInput,
  nodes: K8sObject[],
): RuleFinding[] {
  return pairsAfter(input, WORKLOAD_KINDS).flatMap(pair => {
    const podSpec = podSpecOf(pair.after as K8sObject);
    const selector = stringMapAt(podSpec, 'nodeSelector');
    const candidates = candidateNodes(nodes, selector);
    const pod = podRequests(podSpec);
    if (candidates.some(candidate => fitsOn(pod, candidate))) return [];
    const [cpu, memory] = [
      formatCores(pod.cpuCores),
      formatBytes(pod.memoryBytes),
    ];
    const wanted = JSON.stringify(selector);
    const matchesNone = candidates.length === 0;
    const message = matchesNone
      ? `${pair.ref} selects nodes by ${wanted}, and no target node matches: its pods will stay Pending.`
      : `${pair.ref} asks ${cpu} CPU and ${memory} per pod, more than any matching node can allocate: its pods will stay Pending.`;
    return [
      {
        severity: 'critical' as const,
        message,
        object: pair.ref,
        path: podSpecFieldPath(
          pair.kind,
          matchesNone ? 'nodeSelector' : 'containers',
        ),
        fix: 'Lower the requests, or add a node pool that matches and is large enough.',
      },
    ];
  });
}

/** Requests of pods scheduled on the nodes (finished pods excluded). */
function requestedOnNodes(input: RuleInput): Capacity | undefined {
  const pods = input.context.pods;
  if (!pods) return undefined;
  const total = { cpuCores: 0, memoryBytes: 0 };
  for (const pod of pods) {
    const phase = stringAt(pod, 'status', 'phase');
    const finished = phase === 'Succeeded' || phase === 'Failed';
    if (finished || !stringAt(pod, 'spec', 'nodeName')) continue;
    const requests = podRequests(podSpecOf(pod));
    total.cpuCores += requests.cpuCores;
    total.memoryBytes += requests.memoryBytes;
  }
  return total;
}

function totalAllocatable(nodes: K8sObject[]): Capacity {
  const total = { cpuCores: 0, memoryBytes: 0 };
  for (const node of nodes.map(allocatable)) {
    total.cpuCores += node.cpuCores;
    total.memoryBytes += node.memoryBytes;
  }
  return total;
}

function capacityShortfall(
  input: RuleInput,
  nodes: K8sObject[],
): RuleFinding[] {
  const before = sideTotals(input.before);
  const after = sideTotals(input.after);
  const extra = {
    cpuCores: (after['requests.cpu'] ?? 0) - (before['requests.cpu'] ?? 0),
    memoryBytes:
      (after['requests.memory'] ?? 0) - (before['requests.memory'] ?? 0),
  };
  if (extra.cpuCores <= 0 && extra.memoryBytes <= 0) return [];
  const total = totalAllocatable(nodes);
  // Without the nodes' pods, only this workload's own requests are known.
  const used = requestedOnNodes(input) ?? {
    cpuCores: before['requests.cpu'] ?? 0,
    memoryBytes: before['requests.memory'] ?? 0,
  };
  const free = {
    cpuCores: Math.max(total.cpuCores - used.cpuCores, 0),
    memoryBytes: Math.max(total.memoryBytes - used.memoryBytes, 0),
  };
  const short: string[] = [];
  if (exceeds(extra.cpuCores, free.cpuCores)) {
    const [needed, left] = [
      formatCores(extra.cpuCores),
      formatCores(free.cpuCores),
    ];
    short.push(`${needed} CPU (${left} free)`);
  }
  if (exceeds(extra.memoryBytes, free.memoryBytes)) {
    const [needed, left] = [
      formatBytes(extra.memoryBytes),
      formatBytes(free.memoryBytes),
    ];
    short.push(`${needed} memory (${left} free)`);
  }
  if (short.length === 0) return [];
  const shortfall = short.join(' and ');
  const workload = pairsAfter(input, WORKLOAD_KINDS)[0]?.ref ?? 'Cluster';
  return [
    {
      message: `The promotion adds requests of ${shortfall} beyond the free allocatable capacity of the target's ${nodes.length} nodes: some pods will stay Pending unless the cluster scales out.`,
      object: workload,
      path: '',
      fix: 'Check that the cluster autoscaler can add nodes, or lower requests or replicas.',
    },
  ];
}

export const insufficientCapacity: RiskRule = {
  id: 'insufficient-capacity',
  title: 'Requests exceed free node capacity',
  severity: 'high',
  check: input => {
    const nodes = input.context.nodes ?? [];
    if (nodes.length === 0) return [];
    return [
      ...unschedulablePods(input, nodes),
      ...capacityShortfall(input, nodes),
    ];
  },
};
