import { defaultPullPolicy } from './image';
import {
  CONTAINER_LISTS,
  compareObjects,
  isClusterScoped,
  podSpecOf,
  podTemplateOf,
} from './kinds';
import {
  JsonRecord,
  K8sObject,
  cloneSorted,
  isRecord,
  jsonEqual,
  recordAt,
  recordsAt,
} from './objects';

/** What every redacted value reads as, in diffs, findings and YAML. */
export const REDACTED = '<redacted>';

/**
 * Fields to drop before diffing, per kind (`'*'` for every kind), as JSON
 * pointers (RFC 6901). A `*` segment matches every key or array index, an
 * extension for paths like `/spec/template/spec/containers/*\/image`.
 */
export interface IgnoreRule {
  kind: string;
  paths: string[];
}

export interface NormalizeOptions {
  /** Namespace that namespaced objects are mapped to (the target's). */
  namespace?: string;
  ignore?: IgnoreRule[];
  /** Keep fields equal to the API server's defaults (dropped by default). */
  keepDefaults?: boolean;
}

/** Metadata the API server or controllers write; never part of intent. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'selfLink',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/**
 * Annotations written by tools and controllers as bookkeeping. Dropped:
 * kubectl's last-applied copy (it also holds every env value and Secret
 * datum in clear), rollout counters, restart stamps, PV binding notes, and
 * Argo CD's tracking (`argocd.argoproj.io/*`, which differs per Application).
 *
 * Kept on purpose: Helm's `meta.helm.sh/release-name` (which release owns
 * the object; a change there is a real ownership change) and
 * `meta.helm.sh/release-namespace`, whose value is mapped like the
 * namespace itself; chart labels such as `helm.sh/chart` (a chart version
 * change is worth seeing); Flux's `kustomize.toolkit.fluxcd.io/*` labels.
 */
const TOOLING_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'kubectl.kubernetes.io/restartedAt',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.daemonset.template.generation',
  'endpoints.kubernetes.io/last-change-trigger-time',
  'control-plane.alpha.kubernetes.io/leader',
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/selected-node',
  'autoscaling.alpha.kubernetes.io/conditions',
  'autoscaling.alpha.kubernetes.io/current-metrics',
]);

const TOOLING_PREFIXES = ['argocd.argoproj.io/'];

/** Labels controllers add to the objects they create. */
const TOOLING_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
]);

const HELM_RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';

/**
 * Empty maps and lists under these keys mean the same as absent. Others are
 * kept: `emptyDir: {}` picks a volume type and `podSelector: {}` selects
 * every pod, so dropping them would change meaning.
 */
const EMPTY_MEANS_ABSENT = new Set([
  'metadata',
  'annotations',
  'labels',
  'status',
  'spec',
  'securityContext',
  'resources',
  'requests',
  'limits',
  'capabilities',
  'add',
  'drop',
  'env',
  'envFrom',
  'ports',
  'volumeMounts',
  'volumes',
  'tolerations',
  'nodeSelector',
  'imagePullSecrets',
  'args',
  'command',
  'initContainers',
  'ephemeralContainers',
  'data',
  'stringData',
  'binaryData',
  'finalizers',
  'ownerReferences',
  'strategy',
  'rollingUpdate',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'affinity',
  'topologySpreadConstraints',
  'hostAliases',
  'readinessGates',
  'secrets',
]);

/**
 * Makes an object comparable across clusters and Git: drops status, server
 * metadata, tooling annotations and API-server defaults; maps the namespace;
 * redacts Secret data and env values; applies ignore rules; sorts keys.
 * The input is not modified.
 */
export function normalizeObject(
  object: K8sObject,
  options: NormalizeOptions = {},
): K8sObject {
  const result = cloneSorted(object);
  delete result.status;
  const originalNamespace = result.metadata.namespace;
  cleanMetadata(result.metadata);
  cleanMetadata(recordAt(podTemplateOf(result), 'metadata'));
  mapNamespace(result, originalNamespace, options.namespace);
  redactSecrets(result);
  if (!options.keepDefaults) stripDefaults(result);
  applyIgnoreRules(result, options.ignore ?? []);
  pruneEmpty(result);
  return result;
}

/**
 * A copy of a normalized object without the fields the ignore rules name;
 * the object itself when no rule applies to its kind.
 */
export function omitIgnoredFields(
  object: K8sObject,
  rules: readonly IgnoreRule[],
): K8sObject {
  if (!rules.some(rule => rule.kind === '*' || rule.kind === object.kind))
    return object;
  const copy = cloneSorted(object);
  applyIgnoreRules(copy, rules);
  pruneEmpty(copy);
  return copy;
}

/** Normalizes every object and sorts them (kind order, then name). */
export function normalizeObjects(
  objects: readonly K8sObject[],
  options: NormalizeOptions = {},
): K8sObject[] {
  return objects
    .map(object => normalizeObject(object, options))
    .sort(compareObjects);
}

function isToolingKey(key: string, exact: Set<string>): boolean {
  return (
    exact.has(key) || TOOLING_PREFIXES.some(prefix => key.startsWith(prefix))
  );
}

function removeKeys(map: unknown, isDropped: (key: string) => boolean): void {
  if (!isRecord(map)) return;
  for (const key of Object.keys(map)) {
    if (isDropped(key)) delete map[key];
  }
}

function cleanMetadata(metadata: JsonRecord | undefined): void {
  if (!metadata) return;
  for (const field of SERVER_METADATA) delete metadata[field];
  removeKeys(metadata.annotations, key =>
    isToolingKey(key, TOOLING_ANNOTATIONS),
  );
  removeKeys(metadata.labels, key => isToolingKey(key, TOOLING_LABELS));
  for (const owner of recordsAt(metadata, 'ownerReferences')) delete owner.uid;
}

function mapNamespace(
  object: K8sObject,
  originalNamespace: string | undefined,
  targetNamespace: string | undefined,
): void {
  if (!targetNamespace || isClusterScoped(object.kind)) return;
  object.metadata.namespace = targetNamespace;
  const annotations = object.metadata.annotations;
  if (
    annotations &&
    annotations[HELM_RELEASE_NAMESPACE] === originalNamespace
  ) {
    annotations[HELM_RELEASE_NAMESPACE] = targetNamespace;
  }
}

function redactValues(map: unknown): void {
  if (!isRecord(map)) return;
  for (const key of Object.keys(map)) map[key] = REDACTED;
}

/** Secret data and container env values never leave normalization. */
function redactSecrets(object: K8sObject): void {
  if (object.kind === 'Secret') {
    redactValues(object.data);
    redactValues(object.stringData);
  }
  const podSpec = podSpecOf(object);
  for (const list of CONTAINER_LISTS) {
    for (const container of recordsAt(podSpec, list)) {
      for (const env of recordsAt(container, 'env')) {
        if (env.value !== undefined) env.value = REDACTED;
      }
    }
  }
}

/** Deletes `record[key]` when it equals the default value. */
function dropIf(
  record: JsonRecord | undefined,
  key: string,
  defaultValue: unknown,
): void {
  if (record && jsonEqual(record[key], defaultValue)) delete record[key];
}

const KIND_DEFAULTS: Record<string, (object: K8sObject) => void> = {
  Deployment: stripDeploymentDefaults,
  StatefulSet: stripStatefulSetDefaults,
  DaemonSet: stripDaemonSetDefaults,
  Job: object => stripJobDefaults(recordAt(object, 'spec')),
  CronJob: stripCronJobDefaults,
  Service: stripServiceDefaults,
  PersistentVolumeClaim: object => stripClaimDefaults(recordAt(object, 'spec')),
  Secret: object => dropIf(object, 'type', 'Opaque'),
  ServiceAccount: stripServiceAccountDefaults,
};

function stripDefaults(object: K8sObject): void {
  KIND_DEFAULTS[object.kind]?.(object);
  stripPodSpecDefaults(podSpecOf(object));
}

function stripDeploymentDefaults(object: K8sObject): void {
  const spec = recordAt(object, 'spec');
  dropIf(spec, 'revisionHistoryLimit', 10);
  dropIf(spec, 'progressDeadlineSeconds', 600);
  const strategy = recordAt(spec, 'strategy');
  if (strategy?.type === undefined || strategy?.type === 'RollingUpdate') {
    const rolling = recordAt(strategy, 'rollingUpdate');
    dropIf(rolling, 'maxSurge', '25%');
    dropIf(rolling, 'maxUnavailable', '25%');
    dropIf(strategy, 'type', 'RollingUpdate');
  }
}

function stripStatefulSetDefaults(object: K8sObject): void {
  const spec = recordAt(object, 'spec');
  dropIf(spec, 'revisionHistoryLimit', 10);
  dropIf(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = recordAt(spec, 'updateStrategy');
  dropIf(recordAt(strategy, 'rollingUpdate'), 'partition', 0);
  dropIf(strategy, 'type', 'RollingUpdate');
  const retention = recordAt(spec, 'persistentVolumeClaimRetentionPolicy');
  dropIf(retention, 'whenDeleted', 'Retain');
  dropIf(retention, 'whenScaled', 'Retain');
  for (const claim of recordsAt(spec, 'volumeClaimTemplates')) {
    dropIf(claim, 'apiVersion', 'v1');
    dropIf(claim, 'kind', 'PersistentVolumeClaim');
    delete claim.status;
    cleanMetadata(recordAt(claim, 'metadata'));
    stripClaimDefaults(recordAt(claim, 'spec'));
  }
}

function stripDaemonSetDefaults(object: K8sObject): void {
  const spec = recordAt(object, 'spec');
  dropIf(spec, 'revisionHistoryLimit', 10);
  const strategy = recordAt(spec, 'updateStrategy');
  const rolling = recordAt(strategy, 'rollingUpdate');
  dropIf(rolling, 'maxUnavailable', 1);
  dropIf(rolling, 'maxSurge', 0);
  dropIf(strategy, 'type', 'RollingUpdate');
}

function stripJobDefaults(spec: JsonRecord | undefined): void {
  dropIf(spec, 'backoffLimit', 6);
  dropIf(spec, 'completionMode', 'NonIndexed');
  dropIf(spec, 'suspend', false);
  dropIf(spec, 'parallelism', 1);
  dropIf(spec, 'completions', 1);
  dropIf(spec, 'manualSelector', false);
  dropIf(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  // The selector the Job controller generates names only the controller uid.
  const selector = recordAt(spec, 'selector');
  const labelKeys = Object.keys(recordAt(selector, 'matchLabels') ?? {});
  const generated =
    labelKeys.length > 0 &&
    labelKeys.every(key => TOOLING_LABELS.has(key)) &&
    selector?.matchExpressions === undefined;
  if (generated) delete spec?.selector;
}

function stripCronJobDefaults(object: K8sObject): void {
  const spec = recordAt(object, 'spec');
  dropIf(spec, 'concurrencyPolicy', 'Allow');
  dropIf(spec, 'suspend', false);
  dropIf(spec, 'successfulJobsHistoryLimit', 3);
  dropIf(spec, 'failedJobsHistoryLimit', 1);
  stripJobDefaults(recordAt(spec, 'jobTemplate', 'spec'));
}

function stripServiceDefaults(object: K8sObject): void {
  const spec = recordAt(object, 'spec');
  if (!spec) return;
  // A headless Service's clusterIP "None" is intent; an allocated IP is not.
  if (spec.clusterIP !== 'None') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  dropIf(spec, 'clusterIPs', ['None']);
  dropIf(spec, 'type', 'ClusterIP');
  dropIf(spec, 'sessionAffinity', 'None');
  dropIf(spec, 'internalTrafficPolicy', 'Cluster');
  dropIf(spec, 'externalTrafficPolicy', 'Cluster');
  dropIf(spec, 'ipFamilyPolicy', 'SingleStack');
  dropIf(spec, 'ipFamilies', ['IPv4']);
  dropIf(spec, 'allocateLoadBalancerNodePorts', true);
  delete spec.healthCheckNodePort;
  for (const port of recordsAt(spec, 'ports')) {
    dropIf(port, 'protocol', 'TCP');
    dropIf(port, 'targetPort', port.port);
    // Allocated by the API server unless pinned; pinning is rare and the
    // allocated number differs per cluster, so it is always left out.
    delete port.nodePort;
  }
}

function stripClaimDefaults(spec: JsonRecord | undefined): void {
  dropIf(spec, 'volumeMode', 'Filesystem');
  // Set by the binder when the claim is bound; differs per cluster.
  delete spec?.volumeName;
}

function stripServiceAccountDefaults(object: K8sObject): void {
  const tokenPrefix = `${object.metadata.name}-token-`;
  const secrets = recordsAt(object, 'secrets');
  object.secrets = secrets.filter(
    secret =>
      !(typeof secret.name === 'string' && secret.name.startsWith(tokenPrefix)),
  );
}

function stripPodSpecDefaults(podSpec: JsonRecord | undefined): void {
  if (!podSpec) return;
  dropIf(podSpec, 'dnsPolicy', 'ClusterFirst');
  dropIf(podSpec, 'restartPolicy', 'Always');
  dropIf(podSpec, 'schedulerName', 'default-scheduler');
  dropIf(podSpec, 'terminationGracePeriodSeconds', 30);
  dropIf(podSpec, 'enableServiceLinks', true);
  dropIf(podSpec, 'priority', 0);
  dropIf(podSpec, 'preemptionPolicy', 'PreemptLowerPriority');
  dropIf(podSpec, 'serviceAccount', podSpec.serviceAccountName);
  dropIf(podSpec, 'serviceAccount', 'default');
  dropIf(podSpec, 'serviceAccountName', 'default');
  for (const volume of recordsAt(podSpec, 'volumes'))
    stripVolumeDefaults(volume);
  for (const list of CONTAINER_LISTS) {
    for (const container of recordsAt(podSpec, list))
      stripContainerDefaults(container);
  }
}

function stripVolumeDefaults(volume: JsonRecord): void {
  for (const source of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    dropIf(recordAt(volume, source), 'defaultMode', 420);
  }
  dropIf(recordAt(volume, 'hostPath'), 'type', '');
}

function stripContainerDefaults(container: JsonRecord): void {
  dropIf(container, 'terminationMessagePath', '/dev/termination-log');
  dropIf(container, 'terminationMessagePolicy', 'File');
  if (typeof container.image === 'string') {
    dropIf(container, 'imagePullPolicy', defaultPullPolicy(container.image));
  }
  for (const port of recordsAt(container, 'ports'))
    dropIf(port, 'protocol', 'TCP');
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    stripProbeDefaults(recordAt(container, probe));
  }
  for (const env of recordsAt(container, 'env')) {
    dropIf(recordAt(env, 'valueFrom', 'fieldRef'), 'apiVersion', 'v1');
  }
}

function stripProbeDefaults(probe: JsonRecord | undefined): void {
  dropIf(probe, 'timeoutSeconds', 1);
  dropIf(probe, 'periodSeconds', 10);
  dropIf(probe, 'successThreshold', 1);
  dropIf(probe, 'failureThreshold', 3);
  dropIf(recordAt(probe, 'httpGet'), 'scheme', 'HTTP');
}

/** Splits a JSON pointer into unescaped segments. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new Error(
      `Ignore path "${pointer}" is not a JSON pointer: it must start with "/"`,
    );
  }
  return pointer
    .slice(1)
    .split('/')
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyIgnoreRules(
  object: K8sObject,
  rules: readonly IgnoreRule[],
): void {
  for (const rule of rules) {
    if (rule.kind !== '*' && rule.kind !== object.kind) continue;
    for (const path of rule.paths)
      removeAtPointer(object, parseJsonPointer(path));
  }
}

function matchingKeys(container: unknown, segment: string): string[] {
  if (segment !== '*') return [segment];
  if (Array.isArray(container))
    return container.map((_, index) => String(index)).reverse();
  return isRecord(container) ? Object.keys(container) : [];
}

function removeAtPointer(
  container: unknown,
  segments: readonly string[],
): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  // Array indices come in descending order so splicing keeps them valid.
  for (const key of matchingKeys(container, head)) {
    if (rest.length > 0) {
      removeAtPointer(childAt(container, key), rest);
    } else if (Array.isArray(container)) {
      const index = Number(key);
      if (Number.isInteger(index) && index < container.length)
        container.splice(index, 1);
    } else if (isRecord(container)) {
      delete container[key];
    }
  }
}

function childAt(container: unknown, key: string): unknown {
  if (Array.isArray(container)) return container[Number(key)];
  return isRecord(container) ? container[key] : undefined;
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

/** Drops nulls, and empty maps or lists where empty means absent. */
function pruneEmpty(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(pruneEmpty);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    pruneEmpty(child);
    if (child === null || (EMPTY_MEANS_ABSENT.has(key) && isEmpty(child))) {
      delete value[key];
    }
  }
}
