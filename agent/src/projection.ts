import type {
  AgentKind,
  ProjectedMetadata,
  ProjectedObject,
} from './protocol.ts';

/** What every withheld value reads as (the preview engine's own marker). */
export const REDACTED = '<redacted>';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_EVENT_MESSAGE = 1024;

type Json = Record<string, unknown>;
type BodyProjector = (source: Json) => Json;

/**
 * The compact form the backend stores: what diff, cost and risk need and no
 * more. Env values, ConfigMap values, managedFields and kubectl's
 * last-applied copy never leave the cluster. Helm's ownership labels and
 * annotations are ordinary labels and annotations, so they are kept.
 *
 * `raw` may be wire JSON (lists, watch events, files) or a
 * @kubernetes/client-node model instance (with Date fields); the result is
 * plain JSON either way. It shares unchanged parts with `raw` rather than
 * copying them (see {@link plain}), so neither may be modified afterwards.
 * Returns undefined for an object without a name.
 */
export function projectObject(
  raw: unknown,
  identity: { apiVersion: string; kind: AgentKind },
): ProjectedObject | undefined {
  if (!isRecord(raw) || !isRecord(raw.metadata)) return undefined;
  const metadata = projectMetadata(raw.metadata);
  if (!metadata) return undefined;
  return {
    apiVersion: identity.apiVersion,
    kind: identity.kind,
    metadata,
    ...withoutEmpty(BODIES[identity.kind](raw)),
  };
}

/** Identity only: what a delete needs. */
export function identityOf(object: ProjectedObject): ProjectedObject {
  const { name, namespace, uid } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: withoutEmpty({ name, namespace, uid }) as ProjectedMetadata,
  };
}

function projectMetadata(source: Json): ProjectedMetadata | undefined {
  if (typeof source.name !== 'string' || source.name === '') return undefined;
  let annotations = isRecord(source.annotations)
    ? source.annotations
    : undefined;
  if (annotations && LAST_APPLIED in annotations) {
    annotations = { ...annotations };
    delete annotations[LAST_APPLIED];
  }
  const owners = Array.isArray(source.ownerReferences)
    ? source.ownerReferences
        .filter(isRecord)
        .map(owner =>
          pick(owner, ['apiVersion', 'kind', 'name', 'uid', 'controller']),
        )
    : undefined;
  return withoutEmpty({
    ...pick(source, ['name', 'namespace', 'uid', 'resourceVersion']),
    ...pick(source, ['creationTimestamp', 'deletionTimestamp', 'labels']),
    annotations: annotations && plain(annotations),
    ownerReferences: owners,
  }) as ProjectedMetadata;
}

const workload: BodyProjector = source => ({
  spec: projectTemplateSpec(source.spec),
  status: withConditions(source.status, [
    'replicas',
    'readyReplicas',
    'availableReplicas',
    'updatedReplicas',
    'currentReplicas',
    'unavailableReplicas',
    'observedGeneration',
    'currentNumberScheduled',
    'desiredNumberScheduled',
    'numberReady',
    'numberAvailable',
    'numberUnavailable',
    'numberMisscheduled',
    'updatedNumberScheduled',
  ]),
});

const specAndStatus =
  (statusFields: string[]): BodyProjector =>
  source => ({
    spec: plain(source.spec),
    status: withConditions(source.status, statusFields),
  });

const BODIES: Record<AgentKind, BodyProjector> = {
  Namespace: source => ({ status: pick(asRecord(source.status), ['phase']) }),
  Node: projectNode,
  Deployment: workload,
  StatefulSet: workload,
  DaemonSet: workload,
  ReplicaSet: workload,
  Pod: source => ({
    spec: projectPodSpec(source.spec),
    status: projectPodStatus(source.status),
  }),
  Service: source => ({
    spec: plain(source.spec),
    status: plain(source.status),
  }),
  Ingress: source => ({
    spec: plain(source.spec),
    status: plain(source.status),
  }),
  HorizontalPodAutoscaler: specAndStatus([
    'currentReplicas',
    'desiredReplicas',
    'lastScaleTime',
  ]),
  PodDisruptionBudget: specAndStatus([
    'currentHealthy',
    'desiredHealthy',
    'disruptionsAllowed',
    'expectedPods',
  ]),
  PersistentVolumeClaim: specAndStatus(['phase', 'capacity', 'accessModes']),
  PersistentVolume: specAndStatus(['phase']),
  StorageClass: source =>
    pick(source, [
      'provisioner',
      'parameters',
      'reclaimPolicy',
      'volumeBindingMode',
      'allowVolumeExpansion',
      'mountOptions',
    ]),
  ResourceQuota: source => ({
    spec: plain(source.spec),
    status: pick(asRecord(source.status), ['hard', 'used']),
  }),
  LimitRange: source => ({ spec: plain(source.spec) }),
  ConfigMap: source => ({
    data: keysOnly(source.data),
    binaryData: keysOnly(source.binaryData),
    ...pick(source, ['immutable']),
  }),
  ServiceAccount: () => ({}),
  Event: projectEvent,
  NodeMetrics: source => pick(source, ['timestamp', 'window', 'usage']),
  PodMetrics: source => pick(source, ['timestamp', 'window', 'containers']),
  PolicyReport: source =>
    pick(source, ['scope', 'scopeSelector', 'summary', 'results']),
  ClusterPolicyReport: source =>
    pick(source, ['scope', 'scopeSelector', 'summary', 'results']),
};

function projectNode(source: Json): Json {
  const status = asRecord(source.status);
  return {
    spec: pick(asRecord(source.spec), [
      'providerID',
      'taints',
      'unschedulable',
    ]),
    status: withoutEmpty({
      ...pick(status, ['capacity', 'allocatable']),
      // lastHeartbeatTime changes every few seconds; trimming it keeps
      // healthy nodes from producing a delta on each kubelet heartbeat.
      conditions: trimConditions(status.conditions),
      nodeInfo: pick(asRecord(status.nodeInfo), [
        'architecture',
        'operatingSystem',
        'osImage',
        'kernelVersion',
        'kubeletVersion',
        'containerRuntimeVersion',
      ]),
    }),
  };
}

const POD_SPEC_FIELDS = [
  'nodeName',
  'nodeSelector',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'priorityClassName',
  'priority',
  'serviceAccountName',
  'securityContext',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'volumes',
  'restartPolicy',
  'runtimeClassName',
  'overhead',
  'resources',
  'imagePullSecrets',
  'terminationGracePeriodSeconds',
];
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

function projectPodSpec(spec: unknown): Json {
  const source = asRecord(spec);
  return { ...pick(source, POD_SPEC_FIELDS), ...projectContainerLists(source) };
}

/** Workload specs are diffed, so they are kept whole except for env values. */
function projectTemplateSpec(spec: unknown): Json | undefined {
  const whole = plain(spec);
  if (
    !isRecord(whole) ||
    !isRecord(whole.template) ||
    !isRecord(whole.template.spec)
  ) {
    return whole as Json | undefined;
  }
  const podSpec = whole.template.spec;
  return {
    ...whole,
    template: {
      ...whole.template,
      spec: { ...podSpec, ...projectContainerLists(podSpec) },
    },
  };
}

function projectContainerLists(podSpec: Json): Json {
  const lists: Json = {};
  for (const list of CONTAINER_LISTS) {
    const containers = podSpec[list];
    if (Array.isArray(containers))
      lists[list] = containers.filter(isRecord).map(projectContainer);
  }
  return lists;
}

function projectContainer(container: Json): Json {
  const whole = plain(container) as Json;
  return Array.isArray(whole.env)
    ? { ...whole, env: whole.env.filter(isRecord).map(redactEnvVar) }
    : whole;
}

/** Keeps the name and any `valueFrom` reference; a literal value becomes the marker. */
function redactEnvVar(env: Json): Json {
  return withoutEmpty({
    name: env.name,
    value: env.value === undefined ? undefined : REDACTED,
    valueFrom: env.valueFrom,
  });
}

function projectPodStatus(status: unknown): Json {
  const source = asRecord(status);
  return withoutEmpty({
    ...pick(source, ['phase', 'reason', 'qosClass']),
    conditions: trimConditions(source.conditions),
    initContainerStatuses: projectContainerStatuses(
      source.initContainerStatuses,
    ),
    containerStatuses: projectContainerStatuses(source.containerStatuses),
  });
}

function projectContainerStatuses(statuses: unknown): Json[] | undefined {
  if (!Array.isArray(statuses)) return undefined;
  return statuses.filter(isRecord).map(status =>
    withoutEmpty({
      ...pick(status, ['name', 'ready', 'restartCount']),
      state: stateReason(status.state),
      lastState: stateReason(status.lastState),
    }),
  );
}

/** `{ waiting: { reason } }`, `{ running: {} }` or `{ terminated: { reason } }`. */
function stateReason(state: unknown): Json | undefined {
  const source = asRecord(state);
  for (const phase of ['waiting', 'running', 'terminated']) {
    if (isRecord(source[phase]))
      return { [phase]: pick(source[phase], ['reason']) };
  }
  return undefined;
}

function projectEvent(source: Json): Json {
  const message =
    typeof source.message === 'string' ? source.message : undefined;
  const note = typeof source.note === 'string' ? source.note : undefined;
  return {
    ...pick(source, [
      'type',
      'reason',
      'count',
      'firstTimestamp',
      'lastTimestamp',
      'eventTime',
      'reportingComponent',
      'reportingController',
      'series',
    ]),
    involvedObject: reference(source.involvedObject),
    regarding: reference(source.regarding),
    source: pick(asRecord(source.source), ['component']),
    message: message?.slice(0, MAX_EVENT_MESSAGE),
    note: note?.slice(0, MAX_EVENT_MESSAGE),
  };
}

function reference(value: unknown): Json | undefined {
  if (!isRecord(value)) return undefined;
  return pick(value, [
    'apiVersion',
    'kind',
    'namespace',
    'name',
    'uid',
    'fieldPath',
  ]);
}

function withConditions(status: unknown, fields: string[]): Json {
  const source = asRecord(status);
  return withoutEmpty({
    ...pick(source, fields),
    conditions: trimConditions(source.conditions),
  });
}

function trimConditions(conditions: unknown): Json[] | undefined {
  if (!Array.isArray(conditions)) return undefined;
  return conditions
    .filter(isRecord)
    .map(condition => pick(condition, ['type', 'status', 'reason']));
}

function keysOnly(map: unknown): Json | undefined {
  if (!isRecord(map)) return undefined;
  return Object.fromEntries(Object.keys(map).map(key => [key, REDACTED]));
}

function pick(source: Json, keys: readonly string[]): Json {
  const result: Json = {};
  for (const key of keys) {
    const value = plain(source[key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** Drops undefined fields and empty objects/arrays at the top level of `value`. */
function withoutEmpty(value: Json): Json {
  const result: Json = {};
  for (const key in value) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    if (Array.isArray(field) && field.length === 0) continue;
    if (isRecord(field) && isEmpty(field)) continue;
    result[key] = field;
  }
  return result;
}

function isEmpty(object: Json): boolean {
  for (const _ in object) return false;
  return true;
}

/**
 * `value` as plain JSON: without null or undefined fields, model instances
 * as plain objects, and Dates as Kubernetes time strings
 * (`2024-05-01T10:00:00Z`), so an object from a typed model and the same
 * object as wire JSON compare equal. Copies only what has to change and
 * returns the rest (almost all of parsed wire JSON) as it is, rather than
 * deep-copying every listed object.
 */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return kubernetesTime(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      const cleaned = plain(item) ?? null;
      if (copy) copy.push(cleaned);
      else if (cleaned !== item) copy = [...value.slice(0, index), cleaned];
    }
    return copy ?? value;
  }
  const source = value as Json;
  const keys = Object.keys(source);
  let copy: Json | undefined =
    Object.getPrototypeOf(source) === Object.prototype ? undefined : {};
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    const field = source[key];
    const cleaned = plain(field);
    if (!copy && (cleaned !== field || field === undefined)) {
      copy = {};
      for (let kept = 0; kept < index; kept++)
        copy[keys[kept]] = source[keys[kept]];
    }
    if (copy && cleaned !== undefined) copy[key] = cleaned;
  }
  return copy ?? source;
}

function kubernetesTime(date: Date): string | undefined {
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
