import {
  K8sObject,
  JsonRecord,
  compareText,
  recordAt,
  recordsAt,
} from './objects';

/**
 * The order objects are listed in: roughly the order they must exist in for
 * a workload to start (as Helm installs them), so a diff reads top-down.
 * Kinds not listed follow, alphabetically.
 */
const KIND_ORDER = [
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Ingress',
];

const KIND_RANK = new Map(KIND_ORDER.map((kind, index) => [kind, index]));

export function compareKinds(a: string, b: string): number {
  const rankA = KIND_RANK.get(a) ?? KIND_ORDER.length;
  const rankB = KIND_RANK.get(b) ?? KIND_ORDER.length;
  if (rankA !== rankB) return rankA - rankB;
  return compareText(a, b);
}

/** Deterministic order: kind order, then name, then namespace. */
export function compareObjects(
  a: Pick<K8sObject, 'kind' | 'metadata'>,
  b: Pick<K8sObject, 'kind' | 'metadata'>,
): number {
  return (
    compareKinds(a.kind, b.kind) ||
    compareText(a.metadata.name, b.metadata.name) ||
    compareText(a.metadata.namespace, b.metadata.namespace)
  );
}

const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ClusterPolicyReport',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Kinds whose pods run continuously and therefore cost money. */
export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
];

export function isWorkload(object: Pick<K8sObject, 'kind'>): boolean {
  return WORKLOAD_KINDS.includes(object.kind);
}

/** Kinds with a pod template, so container-level rules apply to them. */
const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Path (as keys) of an object's pod spec, if its kind has one. */
export function podSpecPath(kind: string): string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  const template = POD_TEMPLATE_PATHS[kind];
  return template ? [...template, 'spec'] : undefined;
}

export function podTemplateOf(object: K8sObject): JsonRecord | undefined {
  const path = POD_TEMPLATE_PATHS[object.kind];
  return path ? recordAt(object, ...path) : undefined;
}

export function podSpecOf(object: K8sObject): JsonRecord | undefined {
  const path = podSpecPath(object.kind);
  return path ? recordAt(object, ...path) : undefined;
}

export const CONTAINER_LISTS = [
  'initContainers',
  'containers',
  'ephemeralContainers',
] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** A container of a pod spec, with the list it is in. */
export interface ContainerEntry {
  name: string;
  list: ContainerList;
  spec: JsonRecord;
}

export function containersOf(
  podSpec: JsonRecord | undefined,
  lists: readonly ContainerList[] = ['initContainers', 'containers'],
): ContainerEntry[] {
  if (!podSpec) return [];
  return lists.flatMap(list =>
    recordsAt(podSpec, list)
      .filter(spec => typeof spec.name === 'string')
      .map(spec => ({ name: spec.name as string, list, spec })),
  );
}

/**
 * Init containers with `restartPolicy: Always` are sidecars: they run for
 * the pod's life, so they count like regular containers for cost.
 */
export function isLongRunning(container: ContainerEntry): boolean {
  if (container.list === 'containers') return true;
  return (
    container.list === 'initContainers' &&
    container.spec.restartPolicy === 'Always'
  );
}
