import { podSpecOf, podSpecPath } from '../kinds';
import {
  JsonRecord,
  K8sObject,
  recordAt,
  recordsAt,
  valueAt,
} from '../objects';
import { PathSegment, formatPath } from '../paths';
import { POD_KINDS, allContainerPairs, pairsAfter } from './helpers';
import { RiskRule, RuleInput } from './types';

export const envVarRemoved: RiskRule = {
  id: 'env-var-removed',
  title: 'Environment variable removed',
  severity: 'medium',
  check: input =>
    allContainerPairs(input).flatMap(({ pair, container }) => {
      const names = (spec: unknown) =>
        recordsAt(spec, 'env')
          .map(env => env.name)
          .filter((n): n is string => typeof n === 'string');
      const after = names(container.after);
      const removed = names(container.before).filter(
        name => !after.includes(name),
      );
      if (removed.length === 0) return [];
      const noun = removed.length > 1 ? 'variables' : 'variable';
      const variables = `${noun} ${removed.join(', ')}`;
      return [
        {
          message: `${container.label} loses environment ${variables}: the application may fall back to defaults or fail to start.`,
          object: pair.ref,
          path: container.path('env'),
          fix: 'Confirm the application no longer reads them, or add them to the source.',
        },
      ];
    }),
};

type ReferencedKind =
  | 'ConfigMap'
  | 'Secret'
  | 'ServiceAccount'
  | 'PersistentVolumeClaim';

interface Reference {
  kind: ReferencedKind;
  name: string;
  path: PathSegment[];
}

/**
 * The reference held at `holder.<refPath>.<nameField>`, unless it is
 * marked optional (then a missing object does not stop the pod).
 */
function refAt(
  kind: ReferencedKind,
  holder: unknown,
  refPath: string[],
  nameField: string,
  at: PathSegment[],
): Reference[] {
  const target = refPath.length ? recordAt(holder, ...refPath) : holder;
  const name = valueAt(target, nameField);
  if (typeof name !== 'string' || !name) return [];
  if (valueAt(target, 'optional') === true) return [];
  return [{ kind, name, path: [...at, ...refPath, nameField] }];
}

function volumeReferences(
  podSpec: JsonRecord,
  base: PathSegment[],
): Reference[] {
  return recordsAt(podSpec, 'volumes').flatMap(volume => {
    const at = [...base, 'volumes', { name: String(volume.name) }];
    const projected = recordsAt(volume, 'projected', 'sources').flatMap(
      (source, index) => {
        const sourceAt = [...at, 'projected', 'sources', index];
        return [
          ...refAt('ConfigMap', source, ['configMap'], 'name', sourceAt),
          ...refAt('Secret', source, ['secret'], 'name', sourceAt),
        ];
      },
    );
    return [
      ...refAt('ConfigMap', volume, ['configMap'], 'name', at),
      ...refAt('Secret', volume, ['secret'], 'secretName', at),
      ...refAt(
        'PersistentVolumeClaim',
        volume,
        ['persistentVolumeClaim'],
        'claimName',
        at,
      ),
      ...projected,
    ];
  });
}

function containerReferences(
  container: JsonRecord,
  at: PathSegment[],
): Reference[] {
  const fromEnvFrom = recordsAt(container, 'envFrom').flatMap(
    (source, index) => [
      ...refAt('ConfigMap', source, ['configMapRef'], 'name', [
        ...at,
        'envFrom',
        index,
      ]),
      ...refAt('Secret', source, ['secretRef'], 'name', [
        ...at,
        'envFrom',
        index,
      ]),
    ],
  );
  const fromEnv = recordsAt(container, 'env').flatMap(env => {
    const envAt = [...at, 'env', { name: String(env.name) }];
    return [
      ...refAt(
        'ConfigMap',
        env,
        ['valueFrom', 'configMapKeyRef'],
        'name',
        envAt,
      ),
      ...refAt('Secret', env, ['valueFrom', 'secretKeyRef'], 'name', envAt),
    ];
  });
  return [...fromEnvFrom, ...fromEnv];
}

/** Everything a workload's pods need to exist in the namespace to start. */
export function referencesOf(workload: K8sObject): Reference[] {
  const podSpec = podSpecOf(workload);
  if (!podSpec) return [];
  const base = podSpecPath(workload.kind) ?? ['spec'];
  const containers = (['initContainers', 'containers'] as const).flatMap(list =>
    recordsAt(podSpec, list).flatMap(container =>
      containerReferences(container, [
        ...base,
        list,
        { name: String(container.name) },
      ]),
    ),
  );
  const pullSecrets = recordsAt(podSpec, 'imagePullSecrets').flatMap(
    (secret, index) =>
      refAt('Secret', secret, [], 'name', [...base, 'imagePullSecrets', index]),
  );
  return [
    ...refAt('ServiceAccount', podSpec, [], 'serviceAccountName', base),
    ...volumeReferences(podSpec, base),
    ...containers,
    ...pullSecrets,
  ];
}

function availableNames(input: RuleInput): Map<string, Set<string>> {
  const available = new Map<string, Set<string>>();
  const add = (kind: string, name: string) => {
    if (!available.has(kind)) available.set(kind, new Set());
    available.get(kind)?.add(name);
  };
  for (const object of [
    ...input.after,
    ...input.before,
    ...(input.context.namespaceObjects ?? []),
  ]) {
    add(object.kind, object.metadata.name);
  }
  for (const name of input.context.secretNames ?? []) add('Secret', name);
  add('ServiceAccount', 'default');
  return available;
}

/** Secrets can only be checked when something lists the target's Secrets. */
function secretsKnown(input: RuleInput): boolean {
  return (
    input.context.secretNames !== undefined ||
    (input.context.namespaceObjects ?? []).some(
      object => object.kind === 'Secret',
    )
  );
}

export const missingReference: RiskRule = {
  id: 'missing-reference',
  title: 'Reference to a missing object',
  severity: 'high',
  check: input => {
    const available = availableNames(input);
    const checkSecrets = secretsKnown(input);
    return pairsAfter(input, POD_KINDS).flatMap(pair =>
      referencesOf(pair.after as K8sObject)
        .filter(reference => reference.kind !== 'Secret' || checkSecrets)
        .filter(
          reference => !available.get(reference.kind)?.has(reference.name),
        )
        .map(reference => ({
          message: `${pair.ref} refers to ${reference.kind} ${reference.name}, which the target namespace lacks and the promotion does not create: its pods will not start.`,
          object: pair.ref,
          path: formatPath(reference.path),
          fix: `Create ${reference.kind} ${reference.name} in the target namespace first, or include it in the promotion.`,
        })),
    );
  },
};
