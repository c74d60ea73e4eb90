import { isRecord, JsonMap } from '../json';

/*
 * Strategic merge patch, the common cases, after the Kubernetes docs
 * ("Update API Objects in Place Using kubectl patch", and
 * community/contributors/devel/sig-api-machinery/strategic-merge-patch.md):
 * maps merge recursively, null deletes a key, `$patch: delete | replace` on
 * maps and list items, `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 * lists of maps merge by their patchMergeKey, other lists are replaced.
 * Kinds without a built-in schema (custom resources) merge a list by the
 * first of kyaml's AssociativeSequenceKeys that every item has, as kustomize
 * does when it has no OpenAPI schema.
 */

const DELETED = Symbol('deleted');
type Merged = unknown | typeof DELETED;

/** patchMergeKey of list fields in the built-in Kubernetes API types. */
const BUILT_IN_MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  readinessGates: 'conditionType',
  resourceClaims: 'name',
  resizePolicy: 'resourceName',
  conditions: 'type',
};

const ASSOCIATIVE_KEYS = [
  'mountPath',
  'devicePath',
  'ip',
  'type',
  'topologyKey',
  'name',
  'containerPort',
];

const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * The target with the patch merged in (neither argument is changed), or
 * undefined when the patch deletes the whole object.
 */
export function strategicMerge(
  target: JsonMap,
  patch: JsonMap,
  builtInKind: boolean,
): JsonMap | undefined {
  const merged = mergeMap(target, patch, builtInKind);
  return merged === DELETED ? undefined : (merged as JsonMap);
}

function mergeValue(
  target: unknown,
  patch: unknown,
  field: string,
  builtIn: boolean,
): Merged {
  if (isRecord(patch)) return mergeMap(target, patch, builtIn);
  if (Array.isArray(patch)) return mergeList(target, patch, field, builtIn);
  return patch;
}

function mergeMap(target: unknown, patch: JsonMap, builtIn: boolean): Merged {
  if (patch.$patch === 'delete') return DELETED;
  if (patch.$patch === 'replace' || !isRecord(target)) {
    return withoutDirectives(patch);
  }
  const result: JsonMap = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const merged =
      value === null ? DELETED : mergeValue(result[key], value, key, builtIn);
    if (merged === DELETED) delete result[key];
    else result[key] = merged;
  }
  deleteFromPrimitiveLists(result, patch);
  retainKeys(result, patch);
  return result;
}

function mergeList(
  target: unknown,
  patch: unknown[],
  field: string,
  builtIn: boolean,
): unknown[] {
  const key = mergeKey(field, patch, target, builtIn);
  const replaceAll = patch.some(
    item => isRecord(item) && item.$patch === 'replace',
  );
  if (!key || !Array.isArray(target) || replaceAll) {
    return patch.filter(item => !isDirectiveOnly(item)).map(withoutDirectives);
  }
  const result = [...target];
  for (const item of patch) {
    if (!isRecord(item) || item[key] === undefined) {
      result.push(withoutDirectives(item));
      continue;
    }
    const index = result.findIndex(
      existing => isRecord(existing) && existing[key] === item[key],
    );
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = mergeMap(result[index], item, builtIn);
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

function mergeKey(
  field: string,
  patch: unknown[],
  target: unknown,
  builtIn: boolean,
): string | undefined {
  const items = [...patch, ...(Array.isArray(target) ? target : [])];
  if (!items.every(isRecord)) return undefined;
  if (builtIn) {
    if (field !== 'ports') return BUILT_IN_MERGE_KEYS[field];
    // Container ports merge by containerPort, Service ports by port.
    return items.some(item => 'containerPort' in item)
      ? 'containerPort'
      : 'port';
  }
  return ASSOCIATIVE_KEYS.find(key =>
    patch.every(item => isRecord(item) && item[key] !== undefined),
  );
}

function deleteFromPrimitiveLists(result: JsonMap, patch: JsonMap): void {
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    const current = result[field];
    if (Array.isArray(current) && Array.isArray(values)) {
      result[field] = current.filter(item => !values.includes(item));
    }
  }
}

function retainKeys(result: JsonMap, patch: JsonMap): void {
  const keep = patch.$retainKeys;
  if (!Array.isArray(keep)) return;
  for (const key of Object.keys(result)) {
    if (!keep.includes(key)) delete result[key];
  }
}

function isDirectiveOnly(item: unknown): boolean {
  return (
    isRecord(item) &&
    item.$patch !== undefined &&
    Object.keys(item).every(key => key === '$patch')
  );
}

/** A deep copy without patch directives, for content a patch adds. */
export function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter(item => !isDirectiveOnly(item)).map(withoutDirectives);
  }
  if (!isRecord(value)) return value;
  const result: JsonMap = {};
  for (const [key, item] of Object.entries(value)) {
    if (!key.startsWith('$')) result[key] = withoutDirectives(item);
  }
  return result;
}
