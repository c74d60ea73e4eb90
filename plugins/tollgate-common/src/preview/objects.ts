/**
 * Plain Kubernetes objects as JSON, and small readers that never throw on an
 * unexpected shape (manifests from Git are not validated by an API server).
 */

/** Metadata of a Kubernetes object; only `name` is required. */
export interface K8sMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** A Kubernetes object as plain JSON (apiVersion, kind, metadata, spec...). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: K8sMetadata;
  [field: string]: unknown;
}

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of keys, or undefined when any step is missing. */
export function valueAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function recordAt(
  value: unknown,
  ...path: string[]
): JsonRecord | undefined {
  const found = valueAt(value, ...path);
  return isRecord(found) ? found : undefined;
}

/** The array at a path; an empty array when missing or not an array. */
export function arrayAt(value: unknown, ...path: string[]): unknown[] {
  const found = valueAt(value, ...path);
  return Array.isArray(found) ? found : [];
}

export function recordsAt(value: unknown, ...path: string[]): JsonRecord[] {
  return arrayAt(value, ...path).filter(isRecord);
}

export function stringAt(
  value: unknown,
  ...path: string[]
): string | undefined {
  const found = valueAt(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

export function numberAt(
  value: unknown,
  ...path: string[]
): number | undefined {
  const found = valueAt(value, ...path);
  return typeof found === 'number' && Number.isFinite(found)
    ? found
    : undefined;
}

export function booleanAt(
  value: unknown,
  ...path: string[]
): boolean | undefined {
  const found = valueAt(value, ...path);
  return typeof found === 'boolean' ? found : undefined;
}

/** String-valued entries of a map (labels, selectors); others are skipped. */
export function stringMapAt(
  value: unknown,
  ...path: string[]
): Record<string, string> {
  const found = recordAt(value, ...path) ?? {};
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(found)) {
    if (typeof entry === 'string') result[key] = entry;
  }
  return result;
}

/**
 * A deep copy with object keys sorted and `undefined` dropped, so output is
 * independent of the key order the input happened to have.
 */
export function cloneSorted<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter(item => item !== undefined).map(cloneSorted) as T;
  }
  if (isRecord(value)) {
    const result: JsonRecord = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) result[key] = cloneSorted(value[key]);
    }
    return result as T;
  }
  return value;
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keysA = Object.keys(a).filter(key => a[key] !== undefined);
    const keysB = Object.keys(b).filter(key => b[key] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every(key => jsonEqual(a[key], b[key]));
  }
  return false;
}

/** `Kind/name`, the way findings and cost lines name an object. */
export function objectRef(
  object: Pick<K8sObject, 'kind' | 'metadata'>,
): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** True when every selector label is present with the same value. */
export function labelsMatch(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector);
  return (
    entries.length > 0 && entries.every(([key, value]) => labels[key] === value)
  );
}

/** Escapes text for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Code-unit order, not locale order, so every runtime sorts alike. */
export function compareText(a = '', b = ''): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
