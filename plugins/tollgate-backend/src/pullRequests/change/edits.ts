import { ConflictError } from '@backstage/errors';
import {
  REDACTED,
  type FieldChange,
  type K8sObject,
  type ObjectDiff,
} from '@tollgate/plugin-tollgate-common';
import { parse as parseYaml } from 'yaml';
import { parseFieldPath, type PathSegment } from './fieldPath';
import type { YamlTree } from './yamlTree';

/** One changed field of one object, with the value to write. */
export interface FieldEdit {
  object: ObjectDiff;
  path: PathSegment[];
  change: FieldChange;
}

const CONTAINER_LISTS = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers',
]);

/** `Deployment/checkout-api`, as the PR body and messages name objects. */
export function objectLabel(object: Pick<ObjectDiff, 'kind' | 'name'>) {
  return `${object.kind}/${object.name}`;
}

/** The field edits of every modified object, in diff order. */
export function fieldEditsOf(objects: ObjectDiff[]): FieldEdit[] {
  return objects
    .filter(object => object.status === 'modified')
    .flatMap(object =>
      object.changes.map(change => ({
        object,
        path: parseFieldPath(change.path),
        change,
      })),
    );
}

/** The container whose image this edit changes, if it is an image edit. */
export function imageContainer(edit: FieldEdit): string | undefined {
  const { path, change } = edit;
  const container = path[path.length - 2];
  const list = path[path.length - 3];
  const isImage =
    path[path.length - 1] === 'image' &&
    typeof container === 'object' &&
    typeof list === 'string' &&
    CONTAINER_LISTS.has(list) &&
    change.type === 'changed' &&
    typeof change.before === 'string' &&
    typeof change.after === 'string';
  return isImage ? container.name : undefined;
}

export function isReplicasEdit(edit: FieldEdit): boolean {
  return (
    edit.path.length === 2 &&
    edit.path[0] === 'spec' &&
    edit.path[1] === 'replicas' &&
    edit.change.type !== 'reordered' &&
    typeof edit.change.after === 'number'
  );
}

export function containsRedacted(value: unknown): boolean {
  if (value === REDACTED) return true;
  if (Array.isArray(value)) return value.some(containsRedacted);
  if (value && typeof value === 'object') {
    return Object.values(value).some(containsRedacted);
  }
  return false;
}

/** Equal as manifests mean it: `'2'` and `2` are the same replica count. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
      .map(([key, child]) => `${JSON.stringify(key)}:${canonical(child)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value === undefined ? null : String(value));
}

/**
 * Whether a value in a file agrees with what the preview knew of it. The
 * preview may know less than the file says (clusters never report env
 * values, redacted values read `<redacted>`), so only what it knew counts.
 */
export function matchesKnown(current: unknown, known: unknown): boolean {
  if (known === REDACTED || known === undefined) return true;
  if (Array.isArray(known)) {
    return (
      Array.isArray(current) &&
      current.length === known.length &&
      known.every((item, index) => matchesKnown(current[index], item))
    );
  }
  if (known !== null && typeof known === 'object') {
    if (!current || typeof current !== 'object') return false;
    return Object.entries(known).every(([key, value]) =>
      matchesKnown((current as Record<string, unknown>)[key], value),
    );
  }
  return sameValue(current, known);
}

/** An env var whose value the cluster did not report: a name and nothing else. */
export function isEnvWithoutValue(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).every(key => key === 'name')
  );
}

/** Files where the base moved under a line Tollgate must edit. */
export class Conflicts {
  private readonly found = new Map<string, string[]>();

  add(file: string, what: string): void {
    this.found.set(file, [...(this.found.get(file) ?? []), what]);
  }

  throwIfAny(): void {
    if (this.found.size === 0) return;
    const files = [...this.found.keys()].sort();
    const details = files
      .map(file => `${file} (${this.found.get(file)!.join('; ')})`)
      .join(', ');
    throw Object.assign(
      new ConflictError(
        `The base branch changed what the promotion must edit: ${details}. Preview the promotion again.`,
      ),
      { files },
    );
  }
}

/** What each layout writer is given. */
export interface EditContext {
  conflicts: Conflicts;
  manualSteps: string[];
  /** The value to write for an edit, or undefined when it must not or cannot be written. */
  valueFor(edit: FieldEdit): unknown;
}

/**
 * Applies one field edit to a manifest or patch document. When the file
 * holds the field with a value that is neither the preview's before nor
 * after, the base moved under it: a conflict.
 */
export function applyFieldEdit(
  tree: YamlTree,
  edit: FieldEdit,
  file: string,
  context: EditContext,
): void {
  const { change } = edit;
  if (change.type === 'reordered') return;
  if (tree.has(edit.path) && change.type !== 'added') {
    const current = tree.get(edit.path);
    const moved =
      !matchesKnown(current, change.before) &&
      !matchesKnown(current, change.after);
    if (moved) {
      context.conflicts.add(
        file,
        `${objectLabel(edit.object)} ${change.path} is ${JSON.stringify(
          current,
        )}, the preview expected ${JSON.stringify(change.before)}`,
      );
      return;
    }
  }
  if (change.type === 'removed') {
    tree.delete(edit.path);
    return;
  }
  const value = context.valueFor(edit);
  if (value !== undefined) tree.set(edit.path, value);
}

/**
 * The value an edit writes. Redacted values (env values, Secret data) are
 * taken from the source's own manifests in Git when they are plain values
 * there; otherwise nothing is written and a manual step says what to set.
 */
export function valueResolver(
  sourceObjects: K8sObject[] | undefined,
  manualSteps: string[],
): (edit: FieldEdit) => unknown {
  return edit => {
    const after = edit.change.after;
    const unknownEnv = isEnvItem(edit) && isEnvWithoutValue(after);
    if (!containsRedacted(after) && !unknownEnv) return after;
    const fromGit = sourceValue(sourceObjects, edit);
    const known =
      fromGit !== undefined &&
      !containsRedacted(fromGit) &&
      !(unknownEnv && isEnvWithoutValue(fromGit));
    if (known) return fromGit;
    manualSteps.push(
      `Set ${edit.change.path} of ${objectLabel(
        edit.object,
      )} by hand: Tollgate never reads or writes that value`,
    );
    return undefined;
  };
}

/** `...env[name=X]`: a whole env var. */
function isEnvItem(edit: FieldEdit): boolean {
  const { path } = edit;
  return (
    typeof path[path.length - 1] === 'object' && path[path.length - 2] === 'env'
  );
}

function sourceValue(
  objects: K8sObject[] | undefined,
  edit: FieldEdit,
): unknown {
  if (edit.object.kind === 'Secret') return undefined;
  const object = objects?.find(
    candidate =>
      candidate.kind === edit.object.kind &&
      candidate.metadata.name === edit.object.name,
  );
  if (!object) return undefined;
  let node: unknown = object;
  for (const segment of edit.path) {
    if (typeof segment === 'object') {
      node = Array.isArray(node)
        ? node.find(item => item?.name === segment.name)
        : undefined;
    } else {
      node = (node as Record<string | number, unknown> | undefined)?.[segment];
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The object an `added` diff describes, read back from its unified diff,
 * with redacted values replaced from the source's Git manifests or left
 * out (and named in a manual step). Undefined for a Secret: its data is
 * never known to Tollgate.
 */
export function addedObject(
  diff: ObjectDiff,
  sourceObjects: K8sObject[] | undefined,
  manualSteps: string[],
): K8sObject | undefined {
  if (diff.kind === 'Secret') {
    manualSteps.push(
      `Create ${objectLabel(diff)} by hand: Tollgate never handles Secret data`,
    );
    return undefined;
  }
  const yaml = diff.unifiedDiff
    .split('\n')
    .filter(line => line.startsWith('+') && !line.startsWith('+++'))
    .map(line => line.slice(1))
    .join('\n');
  const object = parseYaml(yaml) as K8sObject;
  const source = sourceObjects?.find(
    candidate =>
      candidate.kind === diff.kind && candidate.metadata.name === diff.name,
  );
  replaceRedacted(object, source, [], manualSteps, diff);
  return object;
}

function replaceRedacted(
  node: unknown,
  source: unknown,
  path: string[],
  manualSteps: string[],
  diff: ObjectDiff,
): void {
  if (!node || typeof node !== 'object') return;
  const entries: [string | number, unknown][] = Array.isArray(node)
    ? node.map((item, index) => [index, item])
    : Object.entries(node);
  for (const [key, child] of entries) {
    const sourceChild = childOf(source, node, key);
    const inEnv = path[path.length - 1] === 'env';
    if (inEnv && isEnvWithoutValue(child)) {
      if (sourceChild && !isEnvWithoutValue(sourceChild)) {
        (node as Record<string | number, unknown>)[key] = sourceChild;
      } else {
        manualSteps.push(
          `Set ${[...path, `[${(child as { name: string }).name}]`].join(
            '.',
          )} of ${objectLabel(
            diff,
          )} by hand: Tollgate never reads or writes that value`,
        );
      }
      continue;
    }
    if (child === REDACTED) {
      if (typeof sourceChild === 'string' && sourceChild !== REDACTED) {
        (node as Record<string | number, unknown>)[key] = sourceChild;
      } else {
        delete (node as Record<string | number, unknown>)[key];
        manualSteps.push(
          `Set ${[...path, String(key)].join('.')} of ${objectLabel(
            diff,
          )} by hand: Tollgate never reads or writes that value`,
        );
      }
    } else {
      const step = Array.isArray(node)
        ? `[${(child as { name?: string })?.name ?? key}]`
        : String(key);
      replaceRedacted(child, sourceChild, [...path, step], manualSteps, diff);
    }
  }
  if (Array.isArray(node) && path[path.length - 1] === 'env') {
    // An env var without its value would be set to "": left to a person.
    const known = node.filter(item => !isEnvWithoutValue(item));
    node.splice(0, node.length, ...known);
  }
}

/** The counterpart of node[key] in the source: named list items by name. */
function childOf(source: unknown, node: object, key: string | number) {
  if (!source || typeof source !== 'object') return undefined;
  if (Array.isArray(node) && Array.isArray(source)) {
    const name = (node[key as number] as { name?: unknown })?.name;
    return name === undefined
      ? source[key as number]
      : source.find(item => item?.name === name);
  }
  return (source as Record<string | number, unknown>)[key];
}
