import { InputError } from '@backstage/errors';
import { isRecord } from '../json';
import {
  COMMON_ANNOTATIONS,
  COMMON_LABELS,
  FieldSpec,
  forEachMap,
  METADATA_LABELS,
  TEMPLATE_LABELS,
} from './fieldSpecs';
import type { Kustomization } from './kustomization';
import { ensureRecord, hadName, KResource, rename } from './resources';

/*
 * The built-in transformers, in the order kustomize runs them after the
 * patches (kustomize api/internal/target/kusttarget_configplugin.go):
 * namespace, name prefix/suffix, labels, annotations, (JSON 6902 patches),
 * replicas, images. Behaviour per the kustomization reference on
 * kubectl.docs.kubernetes.io.
 */

/** Kinds without a namespace (kubectl api-resources --namespaced=false, the common ones). */
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

/** kustomize leaves these names alone (prefixsuffix transformer's skip list). */
const KEEP_NAME_KINDS = new Set([
  'CustomResourceDefinition',
  'APIService',
  'Namespace',
]);

const REPLICA_KINDS = [
  'Deployment',
  'ReplicationController',
  'ReplicaSet',
  'StatefulSet',
];

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Sets every namespaced object's namespace, and ServiceAccount subjects of bindings that point into the build. */
export function setNamespace(resources: KResource[], namespace: string): void {
  const serviceAccounts = resources.filter(
    resource => resource.object.kind === 'ServiceAccount',
  );
  for (const resource of resources) {
    const object = resource.object;
    if (!isClusterScoped(object.kind)) object.metadata.namespace = namespace;
    if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') {
      continue;
    }
    const subjects = Array.isArray(object.subjects) ? object.subjects : [];
    for (const subject of subjects.filter(isRecord)) {
      const inBuild =
        subject.kind === 'ServiceAccount' &&
        typeof subject.name === 'string' &&
        serviceAccounts.some(account =>
          hadName(account, subject.name as string),
        );
      if (inBuild) subject.namespace = namespace;
    }
  }
}

export function addNamePrefixSuffix(
  resources: KResource[],
  prefix: string,
  suffix: string,
): void {
  if (!prefix && !suffix) return;
  for (const resource of resources) {
    if (KEEP_NAME_KINDS.has(resource.object.kind)) continue;
    rename(resource, `${prefix}${resource.object.metadata.name}${suffix}`);
  }
}

/** commonLabels, then each `labels` entry with the fields its flags select. */
export function addLabels(
  resources: KResource[],
  kustomization: Kustomization,
): string[] {
  const notes: string[] = [];
  setFields(resources, kustomization.commonLabels, COMMON_LABELS);
  for (const entry of kustomization.labels) {
    if (entry.fields !== undefined) {
      notes.push(
        `${kustomization.file}: labels[].fields is not supported; those labels were applied to the default fields only`,
      );
    }
    let specs: FieldSpec[] = METADATA_LABELS;
    if (entry.includeSelectors) specs = COMMON_LABELS;
    else if (entry.includeTemplates)
      specs = [...METADATA_LABELS, ...TEMPLATE_LABELS];
    setFields(resources, entry.pairs, specs);
  }
  return notes;
}

export function addAnnotations(
  resources: KResource[],
  annotations: Record<string, string>,
): void {
  setFields(resources, annotations, COMMON_ANNOTATIONS);
}

function setFields(
  resources: KResource[],
  values: Record<string, string>,
  specs: FieldSpec[],
): void {
  if (Object.keys(values).length === 0) return;
  for (const resource of resources) {
    for (const spec of specs) {
      forEachMap(resource.object, spec, map => Object.assign(map, values));
    }
  }
}

/** `replicas`: by current or earlier name; an error when nothing matches, as in kustomize. */
export function setReplicas(
  resources: KResource[],
  kustomization: Kustomization,
): void {
  for (const { name, count } of kustomization.replicas) {
    const targets = resources.filter(
      resource =>
        REPLICA_KINDS.includes(resource.object.kind) && hadName(resource, name),
    );
    if (targets.length === 0) {
      throw new InputError(
        `${kustomization.file}: replicas: no ${REPLICA_KINDS.join(
          ', ',
        )} named ${JSON.stringify(name)}`,
      );
    }
    for (const target of targets) {
      ensureRecord(target.object, 'spec').replicas = count;
    }
  }
}

/** `images`: rewrites matching container images anywhere in an object. */
export function setImages(
  resources: KResource[],
  kustomization: Kustomization,
): void {
  for (const rule of kustomization.images) {
    for (const resource of resources) {
      forEachContainer(resource.object, container => {
        if (typeof container.image !== 'string') return;
        const updated = updateImage(container.image, rule);
        if (updated) container.image = updated;
      });
    }
  }
}

function forEachContainer(
  node: unknown,
  visit: (container: Record<string, unknown>) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach(item => forEachContainer(item, visit));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (CONTAINER_LISTS.includes(key) && Array.isArray(value)) {
      value.filter(isRecord).forEach(visit);
    } else {
      forEachContainer(value, visit);
    }
  }
}

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

/** `registry:5000/team/app:1.2@sha256:...` → name, tag, digest. */
export function splitImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

/**
 * The new image when the rule matches by name: a new tag drops the digest,
 * a new digest drops the tag, both set both (kustomize's image tag updater).
 */
export function updateImage(
  image: string,
  rule: { name: string; newName?: string; newTag?: string; digest?: string },
): string | undefined {
  const current = splitImage(image);
  if (current.name !== rule.name) return undefined;
  let { tag, digest } = current;
  if (rule.newTag !== undefined || rule.digest !== undefined) {
    tag = rule.newTag;
    digest = rule.digest;
  }
  const name = rule.newName ?? current.name;
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}
