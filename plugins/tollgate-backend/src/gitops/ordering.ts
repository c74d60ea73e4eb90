import type { K8sObject } from '@tollgate/plugin-tollgate-common';

/*
 * kustomize's default ("legacy") output order: these kinds first, in this
 * order, then every other kind, then webhooks last; ties by
 * group/version/kind, namespace, name. Source: kustomize api/resid/gvk.go
 * (orderFirst / orderLast) and the `sortOptions` docs on kubectl.docs.kubernetes.io.
 */
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = [
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

function kindRank(kind: string): number {
  const first = ORDER_FIRST.indexOf(kind);
  if (first >= 0) return first;
  const last = ORDER_LAST.indexOf(kind);
  return last >= 0 ? ORDER_FIRST.length + 1 + last : ORDER_FIRST.length;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Compares two objects in kustomize's legacy order. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    compareText(`${a.apiVersion}/${a.kind}`, `${b.apiVersion}/${b.kind}`) ||
    compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareText(a.metadata.name, b.metadata.name)
  );
}

/** A sorted copy; the same input always gives the same order. */
export function sortObjects(objects: K8sObject[]): K8sObject[] {
  return [...objects].sort(compareObjects);
}
