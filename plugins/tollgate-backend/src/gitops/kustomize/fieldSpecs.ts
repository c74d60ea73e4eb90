import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { isRecord, JsonMap } from '../json';
import { apiGroup } from './resources';

/**
 * Where a transformer writes, in kustomize's FieldSpec form: a slash path in
 * which lists are crossed implicitly, optionally limited to some kinds.
 * `create` makes missing maps along the path.
 */
export interface FieldSpec {
  path: string;
  create: boolean;
  kinds?: string[];
  group?: string;
}

const WORKLOADS_WITH_TEMPLATE = [
  'ReplicationController',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Job',
];

/*
 * Tables below follow kustomize's built-in field specs
 * (api/internal/konfig/builtinpluginconsts: commonlabels.go,
 * metadatalabels.go, commonannotations.go).
 */
export const METADATA_LABELS: FieldSpec[] = [
  { path: 'metadata/labels', create: true },
];

export const TEMPLATE_LABELS: FieldSpec[] = [
  {
    path: 'spec/template/metadata/labels',
    create: true,
    kinds: WORKLOADS_WITH_TEMPLATE,
  },
  {
    path: 'spec/volumeClaimTemplates/metadata/labels',
    create: true,
    kinds: ['StatefulSet'],
  },
  {
    path: 'spec/jobTemplate/metadata/labels',
    create: true,
    kinds: ['CronJob'],
  },
  {
    path: 'spec/jobTemplate/spec/template/metadata/labels',
    create: true,
    kinds: ['CronJob'],
  },
];

const POD_AFFINITY_SELECTORS = [
  'podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
  'podAffinity/requiredDuringSchedulingIgnoredDuringExecution',
  'podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
  'podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution',
].map(term => `spec/template/spec/affinity/${term}/labelSelector/matchLabels`);

export const SELECTOR_LABELS: FieldSpec[] = [
  {
    path: 'spec/selector',
    create: true,
    kinds: ['Service', 'ReplicationController'],
    group: '',
  },
  {
    path: 'spec/selector/matchLabels',
    create: true,
    kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'],
  },
  ...[
    ...POD_AFFINITY_SELECTORS,
    'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
  ].map(path => ({
    path,
    create: false,
    kinds: ['Deployment', 'StatefulSet'],
  })),
  { path: 'spec/selector/matchLabels', create: false, kinds: ['Job'] },
  {
    path: 'spec/jobTemplate/spec/selector/matchLabels',
    create: false,
    kinds: ['CronJob'],
  },
  {
    path: 'spec/selector/matchLabels',
    create: false,
    kinds: ['PodDisruptionBudget'],
  },
  ...[
    'spec/podSelector/matchLabels',
    'spec/ingress/from/podSelector/matchLabels',
    'spec/egress/to/podSelector/matchLabels',
  ].map(path => ({ path, create: false, kinds: ['NetworkPolicy'] })),
];

/** What `commonLabels` (and `labels` with includeSelectors) touches. */
export const COMMON_LABELS: FieldSpec[] = [
  ...METADATA_LABELS,
  ...TEMPLATE_LABELS,
  ...SELECTOR_LABELS,
];

export const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  {
    path: 'spec/template/metadata/annotations',
    create: true,
    kinds: WORKLOADS_WITH_TEMPLATE,
  },
  {
    path: 'spec/jobTemplate/metadata/annotations',
    create: true,
    kinds: ['CronJob'],
  },
  {
    path: 'spec/jobTemplate/spec/template/metadata/annotations',
    create: true,
    kinds: ['CronJob'],
  },
];

export function specApplies(spec: FieldSpec, object: K8sObject): boolean {
  if (spec.kinds && !spec.kinds.includes(object.kind)) return false;
  return spec.group === undefined || apiGroup(object.apiVersion) === spec.group;
}

/** Calls `visit` with every map at the spec's path in the object. */
export function forEachMap(
  object: K8sObject,
  spec: FieldSpec,
  visit: (map: JsonMap) => void,
): void {
  if (!specApplies(spec, object)) return;
  walkMaps(object, spec.path.split('/'), spec.create, visit);
}

function walkMaps(
  node: unknown,
  path: string[],
  create: boolean,
  visit: (map: JsonMap) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach(item => walkMaps(item, path, create, visit));
    return;
  }
  if (!isRecord(node)) return;
  if (path.length === 0) {
    visit(node);
    return;
  }
  const [key, ...rest] = path;
  if ((node[key] === undefined || node[key] === null) && create) {
    node[key] = {};
  }
  walkMaps(node[key], rest, create, visit);
}

/**
 * Calls `visit` with every string at the path (lists crossed implicitly, a
 * list of strings at the end included) and the map holding it; a returned
 * string replaces the value.
 */
export function rewriteStrings(
  node: unknown,
  path: string[],
  visit: (value: string, holder: JsonMap) => string | undefined,
): void {
  if (Array.isArray(node)) {
    node.forEach(item => rewriteStrings(item, path, visit));
    return;
  }
  if (!isRecord(node) || path.length === 0) return;
  const [key, ...rest] = path;
  if (rest.length > 0) {
    rewriteStrings(node[key], rest, visit);
    return;
  }
  const value = node[key];
  if (typeof value === 'string') {
    node[key] = visit(value, node) ?? value;
  } else if (Array.isArray(value)) {
    node[key] = value.map(item =>
      typeof item === 'string' ? visit(item, node) ?? item : item,
    );
  }
}
