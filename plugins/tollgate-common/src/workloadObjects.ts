import { WORKLOAD_ID_LABELS, type WorkloadSelector } from './annotations';
import {
  matchesLabels,
  parseLabelSelector,
  type LabelRequirement,
} from './labelSelector';
import { podTemplateOf } from './preview/kinds';
import {
  type K8sObject,
  compareText,
  isRecord,
  recordsAt,
  stringAt,
  stringMapAt,
  valueAt,
} from './preview/objects';
import { hpaFor } from './preview/resources';
import { referencesOf } from './preview/rules/references';

/** Controllers that can be the workload of a catalog Component. */
export const WORKLOAD_CONTROLLER_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
] as const;

/** Every kind that can belong to a workload's manifest set. */
export const WORKLOAD_MANIFEST_KINDS = [
  ...WORKLOAD_CONTROLLER_KINDS,
  'Service',
  'Ingress',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'ConfigMap',
  'PersistentVolumeClaim',
  'ServiceAccount',
] as const;

/**
 * The workload's manifest set among `objects` (one namespace): the
 * controllers the selector picks, the Services whose selector matches their
 * pod labels, the Ingresses routing to those Services, the HPAs scaling and
 * PDBs selecting them, and the ConfigMaps, PVCs and ServiceAccount their pods
 * reference. Sorted by kind, then name. Empty when no controller matches.
 */
export function selectWorkloadObjects(
  objects: readonly K8sObject[],
  selector: WorkloadSelector,
): K8sObject[] {
  const controllers = objects.filter(object =>
    isSelectedController(object, selector),
  );
  if (controllers.length === 0) return [];
  const podLabels = controllers.map(controller =>
    stringMapAt(podTemplateOf(controller), 'metadata', 'labels'),
  );
  const services = objects.filter(
    object => object.kind === 'Service' && servesAnyOf(object, podLabels),
  );
  const serviceNames = new Set(services.map(s => s.metadata.name));
  const related = objects.filter(
    object =>
      (object.kind === 'Ingress' && routesToAnyOf(object, serviceNames)) ||
      (object.kind === 'PodDisruptionBudget' &&
        selectsAnyOf(object, podLabels)) ||
      (object.kind === 'HorizontalPodAutoscaler' &&
        controllers.some(controller => hpaFor(controller, [object]))),
  );
  const referenced = referencedObjects(objects, controllers);
  return unique([...controllers, ...services, ...related, ...referenced]).sort(
    (a, b) =>
      compareText(a.kind, b.kind) ||
      compareText(a.metadata.name, b.metadata.name),
  );
}

/** How the selector picks controllers, in words, for error messages. */
export function describeWorkloadSelector(selector: WorkloadSelector): string {
  if (selector.labelSelector) return `labels ${selector.labelSelector}`;
  const labels = WORKLOAD_ID_LABELS.map(
    label => `${label}=${selector.name}`,
  ).join(' or ');
  return `${labels}, or named ${selector.name}`;
}

function isSelectedController(
  object: K8sObject,
  selector: WorkloadSelector,
): boolean {
  if (!(WORKLOAD_CONTROLLER_KINDS as readonly string[]).includes(object.kind))
    return false;
  const labels = object.metadata.labels ?? {};
  if (selector.labelSelector) {
    return matchesLabels(parseLabelSelector(selector.labelSelector), labels);
  }
  return (
    object.metadata.name === selector.name ||
    WORKLOAD_ID_LABELS.some(label => labels[label] === selector.name)
  );
}

function servesAnyOf(
  service: K8sObject,
  podLabels: Record<string, string>[],
): boolean {
  const selector = stringMapAt(service, 'spec', 'selector');
  const entries = Object.entries(selector);
  return (
    entries.length > 0 &&
    podLabels.some(labels =>
      entries.every(([key, value]) => labels[key] === value),
    )
  );
}

/** Service names an Ingress sends traffic to (networking.k8s.io v1 and v1beta1). */
function ingressBackends(ingress: K8sObject): string[] {
  const backends = [
    valueAt(ingress, 'spec', 'defaultBackend'),
    valueAt(ingress, 'spec', 'backend'),
    ...recordsAt(ingress, 'spec', 'rules').flatMap(rule =>
      recordsAt(rule, 'http', 'paths').map(path => path.backend),
    ),
  ];
  return backends.flatMap(backend => {
    const name =
      stringAt(backend, 'service', 'name') ?? stringAt(backend, 'serviceName');
    return name ? [name] : [];
  });
}

function routesToAnyOf(ingress: K8sObject, services: Set<string>): boolean {
  return ingressBackends(ingress).some(name => services.has(name));
}

function selectsAnyOf(
  pdb: K8sObject,
  podLabels: Record<string, string>[],
): boolean {
  const requirements = labelSelectorRequirements(
    valueAt(pdb, 'spec', 'selector'),
  );
  return (
    requirements.length > 0 &&
    podLabels.some(labels => matchesLabels(requirements, labels))
  );
}

const EXPRESSION_OPERATORS: Record<string, LabelRequirement['op']> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: 'doesnotexist',
};

/** A Kubernetes LabelSelector (matchLabels and matchExpressions) as requirements. */
function labelSelectorRequirements(selector: unknown): LabelRequirement[] {
  if (!isRecord(selector)) return [];
  const fromLabels = Object.entries(stringMapAt(selector, 'matchLabels')).map(
    ([key, value]): LabelRequirement => ({ key, op: 'in', values: [value] }),
  );
  const fromExpressions = recordsAt(selector, 'matchExpressions').flatMap(
    (expression): LabelRequirement[] => {
      const op = EXPRESSION_OPERATORS[String(expression.operator)];
      const key = expression.key;
      if (!op || typeof key !== 'string') return [];
      if (op === 'exists' || op === 'doesnotexist') return [{ key, op }];
      const values = Array.isArray(expression.values)
        ? expression.values.filter((v): v is string => typeof v === 'string')
        : [];
      return [{ key, op, values }];
    },
  );
  return [...fromLabels, ...fromExpressions];
}

const REFERENCED_KINDS = new Set([
  'ConfigMap',
  'PersistentVolumeClaim',
  'ServiceAccount',
]);

function referencedObjects(
  objects: readonly K8sObject[],
  controllers: readonly K8sObject[],
): K8sObject[] {
  const wanted = new Set(
    controllers
      .flatMap(referencesOf)
      .filter(reference => REFERENCED_KINDS.has(reference.kind))
      .map(reference => `${reference.kind}/${reference.name}`),
  );
  return objects.filter(object =>
    wanted.has(`${object.kind}/${object.metadata.name}`),
  );
}

function unique(objects: K8sObject[]): K8sObject[] {
  return [...new Set(objects)];
}
