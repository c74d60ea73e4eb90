import { K8sObject } from '@tollgate/plugin-tollgate-common';
import { rewriteStrings } from './fieldSpecs';
import { KResource } from './resources';
import { isClusterScoped } from './transformers';

/*
 * After prefixes, suffixes and hash suffixes have renamed objects, fields
 * that refer to them by name follow (kustomize's name reference
 * transformer; the referring fields are a subset of kustomize's
 * api/internal/konfig/builtinpluginconsts/namereference.go). Only objects
 * in the build are followed: a reference to something the build does not
 * contain (a Secret managed elsewhere) keeps its name.
 */

interface Reference {
  /** The kinds that hold the reference. */
  referrers: string[];
  path: string;
  /** The kind referred to; for `fromSibling` the holder's `kind` field, limited to these. */
  targets: string[];
  fromSibling?: boolean;
}

const POD_SPEC_PATHS: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template/spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
};

const CONTAINER_LISTS = ['containers', 'initContainers'];

const POD_SPEC_REFERENCES: Array<{ target: string; paths: string[] }> = [
  {
    target: 'ConfigMap',
    paths: [
      'volumes/configMap/name',
      'volumes/projected/sources/configMap/name',
      ...CONTAINER_LISTS.flatMap(list => [
        `${list}/env/valueFrom/configMapKeyRef/name`,
        `${list}/envFrom/configMapRef/name`,
      ]),
    ],
  },
  {
    target: 'Secret',
    paths: [
      'volumes/secret/secretName',
      'volumes/projected/sources/secret/name',
      'imagePullSecrets/name',
      ...CONTAINER_LISTS.flatMap(list => [
        `${list}/env/valueFrom/secretKeyRef/name`,
        `${list}/envFrom/secretRef/name`,
      ]),
    ],
  },
  { target: 'ServiceAccount', paths: ['serviceAccountName'] },
  {
    target: 'PersistentVolumeClaim',
    paths: ['volumes/persistentVolumeClaim/claimName'],
  },
  { target: 'PriorityClass', paths: ['priorityClassName'] },
];

const REFERENCES: Reference[] = [
  ...Object.entries(POD_SPEC_PATHS).flatMap(([kind, podSpec]) =>
    POD_SPEC_REFERENCES.flatMap(({ target, paths }) =>
      paths.map(path => ({
        referrers: [kind],
        path: `${podSpec}/${path}`,
        targets: [target],
      })),
    ),
  ),
  {
    referrers: ['HorizontalPodAutoscaler'],
    path: 'spec/scaleTargetRef/name',
    targets: [
      'Deployment',
      'StatefulSet',
      'ReplicaSet',
      'ReplicationController',
    ],
    fromSibling: true,
  },
  {
    referrers: ['RoleBinding', 'ClusterRoleBinding'],
    path: 'roleRef/name',
    targets: ['Role', 'ClusterRole'],
    fromSibling: true,
  },
  {
    referrers: ['RoleBinding', 'ClusterRoleBinding'],
    path: 'subjects/name',
    targets: ['ServiceAccount'],
    fromSibling: true,
  },
  { referrers: ['Ingress'], path: 'spec/tls/secretName', targets: ['Secret'] },
  {
    referrers: ['Ingress'],
    path: 'spec/rules/http/paths/backend/service/name',
    targets: ['Service'],
  },
  {
    referrers: ['Ingress'],
    path: 'spec/defaultBackend/service/name',
    targets: ['Service'],
  },
  {
    referrers: ['Ingress'],
    path: 'spec/ingressClassName',
    targets: ['IngressClass'],
  },
  {
    referrers: ['StatefulSet'],
    path: 'spec/serviceName',
    targets: ['Service'],
  },
  {
    referrers: ['StatefulSet'],
    path: 'spec/volumeClaimTemplates/spec/storageClassName',
    targets: ['StorageClass'],
  },
  {
    referrers: ['PersistentVolumeClaim'],
    path: 'spec/storageClassName',
    targets: ['StorageClass'],
  },
  {
    referrers: ['PersistentVolumeClaim'],
    path: 'spec/volumeName',
    targets: ['PersistentVolume'],
  },
  {
    referrers: ['ServiceAccount'],
    path: 'imagePullSecrets/name',
    targets: ['Secret'],
  },
  {
    referrers: ['HTTPRoute'],
    path: 'spec/rules/backendRefs/name',
    targets: ['Service'],
  },
];

/** Points every name reference at the referred object's final name. */
export function fixNameReferences(resources: KResource[]): void {
  const renamed = resources.filter(resource => resource.names.length > 1);
  if (renamed.length === 0) return;
  for (const resource of resources) {
    const referrer = resource.object;
    for (const reference of REFERENCES) {
      if (!reference.referrers.includes(referrer.kind)) continue;
      rewriteStrings(referrer, reference.path.split('/'), (name, holder) => {
        const kind = reference.fromSibling ? holder.kind : reference.targets[0];
        if (typeof kind !== 'string' || !reference.targets.includes(kind)) {
          return undefined;
        }
        const namespace =
          typeof holder.namespace === 'string' && reference.fromSibling
            ? holder.namespace
            : referrer.metadata.namespace;
        return currentNameOf(resources, kind, name, namespace);
      });
    }
  }
}

function currentNameOf(
  resources: KResource[],
  kind: string,
  name: string,
  namespace: string | undefined,
): string | undefined {
  const candidates = resources.filter(
    resource =>
      resource.object.kind === kind &&
      sameNamespace(resource.object, namespace) &&
      resource.names.includes(name),
  );
  if (candidates.some(candidate => candidate.object.metadata.name === name)) {
    return undefined;
  }
  return candidates.length === 1
    ? candidates[0].object.metadata.name
    : undefined;
}

function sameNamespace(
  target: K8sObject,
  namespace: string | undefined,
): boolean {
  if (isClusterScoped(target.kind)) return true;
  return (target.metadata.namespace ?? '') === (namespace ?? '');
}
