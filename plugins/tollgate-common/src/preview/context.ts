import { CloudProvider } from '../clusters';
import {
  K8sObject,
  compareText,
  escapeRegExp,
  labelsMatch,
  recordsAt,
  stringMapAt,
  valueAt,
} from './objects';
import { optionalQuantity } from './quantity';

/**
 * What is known about the target environment besides the workload itself.
 * All optional: without nodes the cost engine falls back to default rates,
 * without metrics it prices requests only, and rules that need missing
 * context stay silent.
 */
export interface TargetContext {
  /** Nodes (labels for instance type, region, zone, os; capacity, allocatable). */
  nodes?: K8sObject[];
  /** metrics.k8s.io/v1beta1 PodMetrics of the target namespace. */
  podMetrics?: K8sObject[];
  /** Pods on the target's nodes, to compute the nodes' free capacity. */
  pods?: K8sObject[];
  resourceQuotas?: K8sObject[];
  storageClasses?: K8sObject[];
  /** Everything else already in the target namespace (for references). */
  namespaceObjects?: K8sObject[];
  /**
   * Names of Secrets in the target namespace. The agent does not read
   * Secrets, so without this (or Secrets in namespaceObjects) references
   * to Secrets are not checked.
   */
  secretNames?: string[];
  /** Cloud of the target cluster, when nodes do not reveal it. */
  provider?: CloudProvider;
  /** Region of the target cluster, when nodes do not carry the label. */
  region?: string;
}

export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
const LEGACY_INSTANCE_TYPE_LABEL = 'beta.kubernetes.io/instance-type';
export const REGION_LABEL = 'topology.kubernetes.io/region';
const LEGACY_REGION_LABEL = 'failure-domain.beta.kubernetes.io/region';
const OS_LABEL = 'kubernetes.io/os';

export function nodeLabels(node: K8sObject): Record<string, string> {
  return node.metadata.labels ?? {};
}

export function nodeInstanceType(node: K8sObject): string | undefined {
  const labels = nodeLabels(node);
  return labels[INSTANCE_TYPE_LABEL] ?? labels[LEGACY_INSTANCE_TYPE_LABEL];
}

export function nodeRegion(
  node: K8sObject,
  fallback?: string,
): string | undefined {
  const labels = nodeLabels(node);
  return labels[REGION_LABEL] ?? labels[LEGACY_REGION_LABEL] ?? fallback;
}

/** Provider from `spec.providerID` (aws://, gce://, azure://), else the fallback. */
export function nodeProvider(
  node: K8sObject,
  fallback?: string,
): string | undefined {
  const providerId = valueAt(node, 'spec', 'providerID');
  if (typeof providerId === 'string') {
    if (providerId.startsWith('aws://')) return 'aws';
    if (providerId.startsWith('gce://')) return 'gcp';
    if (providerId.startsWith('azure://')) return 'azure';
  }
  return fallback;
}

/** Spot / preemptible capacity, as EKS, Karpenter, GKE and AKS label it. */
export function isSpotNode(node: K8sObject): boolean {
  const labels = nodeLabels(node);
  return (
    labels['eks.amazonaws.com/capacityType'] === 'SPOT' ||
    labels['karpenter.sh/capacity-type'] === 'spot' ||
    labels['cloud.google.com/gke-spot'] === 'true' ||
    labels['cloud.google.com/gke-preemptible'] === 'true' ||
    labels['kubernetes.azure.com/scalesetpriority'] === 'spot'
  );
}

/** Quantity of a node resource (`cpu`, `memory`, `nvidia.com/gpu`). */
export function nodeResource(
  node: K8sObject,
  field: 'capacity' | 'allocatable',
  resource: string,
): number | undefined {
  try {
    return optionalQuantity(valueAt(node, 'status', field, resource));
  } catch {
    return undefined;
  }
}

/**
 * Nodes a pod spec could land on: its nodeSelector matches and the node is
 * Linux (unless the selector asks for another OS). Taints are not modelled.
 */
export function candidateNodes(
  nodes: readonly K8sObject[],
  nodeSelector: Record<string, string>,
): K8sObject[] {
  const selector = { [OS_LABEL]: 'linux', ...nodeSelector };
  return nodes.filter(node => {
    const labels = nodeLabels(node);
    return Object.entries(selector).every(
      ([key, value]) =>
        labels[key] === value ||
        (key === OS_LABEL && labels[key] === undefined),
    );
  });
}

/** Observed usage of one container, averaged over the workload's pods. */
export interface ContainerUsage {
  cpuCores: number;
  memoryBytes: number;
}

const POD_NAME_PATTERNS: Record<string, (name: string) => RegExp> = {
  Deployment: name => new RegExp(`^${escapeRegExp(name)}-[a-z0-9]+-[a-z0-9]+$`),
  StatefulSet: name => new RegExp(`^${escapeRegExp(name)}-\\d+$`),
  DaemonSet: name => new RegExp(`^${escapeRegExp(name)}-[a-z0-9]+$`),
  ReplicaSet: name => new RegExp(`^${escapeRegExp(name)}-[a-z0-9]+$`),
};

/**
 * PodMetrics of a workload's pods: by the workload's selector when the
 * metrics carry pod labels (metrics-server copies them), else by the
 * controller's pod naming pattern.
 */
export function metricsOfWorkload(
  workload: K8sObject,
  podMetrics: readonly K8sObject[],
): K8sObject[] {
  const selector = stringMapAt(workload, 'spec', 'selector', 'matchLabels');
  const namePattern = POD_NAME_PATTERNS[workload.kind]?.(
    workload.metadata.name,
  );
  const namespace = workload.metadata.namespace;
  const matching = podMetrics.filter(metrics => {
    if (
      namespace &&
      metrics.metadata.namespace &&
      metrics.metadata.namespace !== namespace
    ) {
      return false;
    }
    const labels = metrics.metadata.labels;
    if (
      labels &&
      Object.keys(labels).length > 0 &&
      Object.keys(selector).length > 0
    ) {
      return labelsMatch(selector, labels);
    }
    return namePattern?.test(metrics.metadata.name) ?? false;
  });
  // Sorted so usage sums are bit-identical whatever the input order.
  return matching.sort((a, b) => compareText(a.metadata.name, b.metadata.name));
}

function addUsage(
  usage: Map<
    string,
    { cpu: number; memory: number; pods: number; maxMemory: number }
  >,
  container: Record<string, unknown>,
): void {
  const name = container.name;
  if (typeof name !== 'string') return;
  let cpu = 0;
  let memory = 0;
  try {
    cpu = optionalQuantity(valueAt(container, 'usage', 'cpu')) ?? 0;
    memory = optionalQuantity(valueAt(container, 'usage', 'memory')) ?? 0;
  } catch {
    return;
  }
  const entry = usage.get(name) ?? { cpu: 0, memory: 0, pods: 0, maxMemory: 0 };
  entry.cpu += cpu;
  entry.memory += memory;
  entry.pods += 1;
  entry.maxMemory = Math.max(entry.maxMemory, memory);
  usage.set(name, entry);
}

/** Per container: mean usage over pods (for cost) and peak memory (for OOM checks). */
export interface WorkloadUsage {
  mean: Map<string, ContainerUsage>;
  peakMemoryBytes: Map<string, number>;
}

export function workloadUsage(
  workload: K8sObject | undefined,
  podMetrics: readonly K8sObject[] | undefined,
): WorkloadUsage {
  const totals = new Map<
    string,
    { cpu: number; memory: number; pods: number; maxMemory: number }
  >();
  if (workload && podMetrics) {
    for (const metrics of metricsOfWorkload(workload, podMetrics)) {
      for (const container of recordsAt(metrics, 'containers'))
        addUsage(totals, container);
    }
  }
  const mean = new Map<string, ContainerUsage>();
  const peakMemoryBytes = new Map<string, number>();
  for (const [name, total] of totals) {
    mean.set(name, {
      cpuCores: total.cpu / total.pods,
      memoryBytes: total.memory / total.pods,
    });
    peakMemoryBytes.set(name, total.maxMemory);
  }
  return { mean, peakMemoryBytes };
}
