import type { AgentKind } from '../protocol.ts';

/** A Kubernetes resource the agent lists and then watches (or polls). */
export interface ResourceType {
  kind: AgentKind;
  /** `v1` for the core group, else `group/version`. */
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  /** metrics.k8s.io cannot be watched, so it is listed again on a timer. */
  mode: 'watch' | 'poll';
  fieldSelector?: string;
  /**
   * A smaller list page for kinds whose objects can be large (ConfigMaps hold
   * up to 1 MiB of data the agent then drops; policy reports list every
   * result), so one page stays small in memory.
   */
  maxPageSize?: number;
}

const watched = (
  kind: AgentKind,
  apiVersion: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType => ({
  kind,
  apiVersion,
  plural,
  namespaced,
  mode: 'watch',
  ...extra,
});

/**
 * Everything the agent reads, in listing order. Secrets are deliberately
 * absent: Helm releases are recognised from the labels and annotations Helm
 * puts on the objects themselves, never from Helm's release Secrets.
 */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  watched('Namespace', 'v1', 'namespaces', false),
  watched('Node', 'v1', 'nodes', false),
  watched('Deployment', 'apps/v1', 'deployments', true),
  watched('StatefulSet', 'apps/v1', 'statefulsets', true),
  watched('DaemonSet', 'apps/v1', 'daemonsets', true),
  watched('ReplicaSet', 'apps/v1', 'replicasets', true),
  watched('Pod', 'v1', 'pods', true),
  watched('Service', 'v1', 'services', true),
  watched('Ingress', 'networking.k8s.io/v1', 'ingresses', true),
  watched(
    'HorizontalPodAutoscaler',
    'autoscaling/v2',
    'horizontalpodautoscalers',
    true,
  ),
  watched('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets', true),
  watched('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', true),
  watched('PersistentVolume', 'v1', 'persistentvolumes', false),
  watched('StorageClass', 'storage.k8s.io/v1', 'storageclasses', false),
  watched('ResourceQuota', 'v1', 'resourcequotas', true),
  watched('LimitRange', 'v1', 'limitranges', true),
  watched('ConfigMap', 'v1', 'configmaps', true, { maxPageSize: 50 }),
  watched('ServiceAccount', 'v1', 'serviceaccounts', true),
  watched('Event', 'v1', 'events', true, { fieldSelector: 'type=Warning' }),
  {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    plural: 'nodes',
    namespaced: false,
    mode: 'poll',
  },
  {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    plural: 'pods',
    namespaced: true,
    mode: 'poll',
  },
  watched('PolicyReport', 'wgpolicyk8s.io/v1alpha2', 'policyreports', true, {
    maxPageSize: 50,
  }),
  watched(
    'ClusterPolicyReport',
    'wgpolicyk8s.io/v1alpha2',
    'clusterpolicyreports',
    false,
    { maxPageSize: 50 },
  ),
];

/** The cluster-wide collection path, e.g. `/apis/apps/v1/deployments`. */
export function collectionPath(resource: ResourceType): string {
  const root = resource.apiVersion.includes('/') ? '/apis' : '/api';
  return `${root}/${resource.apiVersion}/${resource.plural}`;
}

export function groupOf(resource: ResourceType): string {
  const [group, version] = resource.apiVersion.split('/');
  return version === undefined ? '' : group;
}

export function versionOf(resource: ResourceType): string {
  return resource.apiVersion.split('/').at(-1) ?? resource.apiVersion;
}
