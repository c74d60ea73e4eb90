import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { compareObjects } from './kinds';
import {
  K8sObject,
  escapeRegExp,
  JsonRecord,
  isRecord,
  jsonEqual,
} from './objects';
import { PathSegment, formatPath } from './paths';

export type ObjectStatus =
  | 'added'
  | 'removed'
  | 'modified'
  | 'renamed'
  | 'unchanged';

/** One changed field. `before` is absent for `added`, `after` for `removed`. */
export interface FieldChange {
  path: string;
  /** `reordered`: the same named items in another order; values are names. */
  type: 'added' | 'removed' | 'changed' | 'reordered';
  before?: unknown;
  after?: unknown;
}

/**
 * How one object differs between the target as it runs (before) and the
 * target after promotion (after). `name` is the name after promotion, or
 * the current name for a removed object.
 */
export interface ObjectDiff {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  status: ObjectStatus;
  /** For `renamed`: the name in the target now. */
  previousName?: string;
  /** For `renamed`: share of identical fields, 0..1. */
  similarity?: number;
  changes: FieldChange[];
  /** Unified diff of the normalized objects as YAML; empty when unchanged. */
  unifiedDiff: string;
}

export interface DiffSummary {
  added: number;
  removed: number;
  modified: number;
  renamed: number;
  unchanged: number;
  total: number;
}

export interface DiffResult {
  summary: DiffSummary;
  objects: ObjectDiff[];
}

/** An object before, after, or both; `similarity` is set for renames. */
export interface ObjectMatch {
  before?: K8sObject;
  after?: K8sObject;
  similarity?: number;
}

export interface MatchOptions {
  /**
   * Minimum similarity (Jaccard index of leaf fields, names excluded) for an
   * unmatched pair of the same kind to count as a rename. Default 0.75.
   */
  renameThreshold?: number;
}

export const DEFAULT_RENAME_THRESHOLD = 0.75;

// Objects with fewer leaf fields than this are too bare to call a rename.
const MIN_LEAVES_FOR_RENAME = 3;

function matchKey(object: K8sObject): string {
  const { namespace = '', name } = object.metadata;
  return `${object.kind}\u0000${namespace}\u0000${name}`;
}

/**
 * Pairs objects by kind, namespace and name, then pairs what is left as
 * renames when similar enough. Output is in kind order, then name.
 */
export function matchObjects(
  before: readonly K8sObject[],
  after: readonly K8sObject[],
  options: MatchOptions = {},
): ObjectMatch[] {
  const afterByKey = new Map(after.map(object => [matchKey(object), object]));
  const matches: ObjectMatch[] = [];
  const unmatchedBefore: K8sObject[] = [];
  for (const object of before) {
    const counterpart = afterByKey.get(matchKey(object));
    if (counterpart) {
      matches.push({ before: object, after: counterpart });
      afterByKey.delete(matchKey(object));
    } else {
      unmatchedBefore.push(object);
    }
  }
  const unmatchedAfter = [...afterByKey.values()];
  const threshold = options.renameThreshold ?? DEFAULT_RENAME_THRESHOLD;
  const renames = findRenames(unmatchedBefore, unmatchedAfter, threshold);
  const renamed = new Set(
    renames.flatMap(match => [match.before, match.after]),
  );
  matches.push(...renames);
  for (const object of unmatchedBefore) {
    if (!renamed.has(object)) matches.push({ before: object });
  }
  for (const object of unmatchedAfter) {
    if (!renamed.has(object)) matches.push({ after: object });
  }
  return matches.sort(compareMatches);
}

function representative(match: ObjectMatch): K8sObject {
  return (match.after ?? match.before) as K8sObject;
}

function compareMatches(a: ObjectMatch, b: ObjectMatch): number {
  return compareObjects(representative(a), representative(b));
}

interface RenameCandidate {
  before: K8sObject;
  after: K8sObject;
  similarity: number;
}

function findRenames(
  before: readonly K8sObject[],
  after: readonly K8sObject[],
  threshold: number,
): ObjectMatch[] {
  const candidates: RenameCandidate[] = [];
  const afterLeaves = new Map(after.map(object => [object, leafSet(object)]));
  for (const old of before) {
    const oldLeaves = leafSet(old);
    for (const renamed of after) {
      if (renamed.kind !== old.kind) continue;
      const similarity = jaccard(
        oldLeaves,
        afterLeaves.get(renamed) as Set<string>,
      );
      if (similarity >= threshold)
        candidates.push({ before: old, after: renamed, similarity });
    }
  }
  // Greedy, best first; ties broken by names so the result is stable.
  candidates.sort(
    (a, b) =>
      b.similarity - a.similarity ||
      compareObjects(a.after, b.after) ||
      compareObjects(a.before, b.before),
  );
  const used = new Set<K8sObject>();
  const renames: ObjectMatch[] = [];
  for (const candidate of candidates) {
    if (used.has(candidate.before) || used.has(candidate.after)) continue;
    used.add(candidate.before);
    used.add(candidate.after);
    renames.push(candidate);
  }
  return renames;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size < MIN_LEAVES_FOR_RENAME || b.size < MIN_LEAVES_FOR_RENAME)
    return 0;
  let shared = 0;
  for (const leaf of a) if (b.has(leaf)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Every leaf as `path=value`, leaving out the object's own name. The name
 * inside values (labels such as `app: checkout-v1`, derived names) reads as
 * `<self>`, since a rename changes those along with the name.
 */
function leafSet(object: K8sObject): Set<string> {
  const { name, namespace: _namespace, ...metadata } = object.metadata;
  const leaves = new Set<string>();
  const ownName = new RegExp(
    `(?<![a-z0-9])${escapeRegExp(name)}(?![a-z0-9])`,
    'g',
  );
  const self = (text: string) => text.replace(ownName, '<self>');
  collectLeaves({ ...object, metadata }, '', leaves, self);
  return leaves;
}

function collectLeaves(
  value: unknown,
  path: string,
  out: Set<string>,
  self: (text: string) => string,
): void {
  if (Array.isArray(value) && value.length > 0) {
    const named = isNamedList(value);
    value.forEach((item, index) => {
      const step = named
        ? `name=${self(String((item as JsonRecord).name))}`
        : index;
      collectLeaves(item, `${path}[${step}]`, out, self);
    });
  } else if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      collectLeaves(child, `${path}.${self(key)}`, out, self);
    }
  } else {
    const shown = typeof value === 'string' ? self(value) : value;
    out.add(`${path}=${JSON.stringify(shown)}`);
  }
}

/** A list whose items are all maps with distinct string `name`s. */
function isNamedList(list: readonly unknown[]): boolean {
  const names = new Set<string>();
  for (const item of list) {
    if (
      !isRecord(item) ||
      typeof item.name !== 'string' ||
      names.has(item.name)
    )
      return false;
    names.add(item.name);
  }
  return true;
}

/** Per-field changes from `before` to `after`, in document order. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  compareValues(before, after, [], changes);
  return changes;
}

function compareValues(
  before: unknown,
  after: unknown,
  path: PathSegment[],
  out: FieldChange[],
): void {
  if (jsonEqual(before, after)) return;
  if (before === undefined) {
    out.push({ path: formatPath(path), type: 'added', after });
  } else if (after === undefined) {
    out.push({ path: formatPath(path), type: 'removed', before });
  } else if (isRecord(before) && isRecord(after)) {
    const keys = [
      ...new Set([...Object.keys(before), ...Object.keys(after)]),
    ].sort();
    for (const key of keys)
      compareValues(before[key], after[key], [...path, key], out);
  } else if (Array.isArray(before) && Array.isArray(after)) {
    compareArrays(before, after, path, out);
  } else {
    out.push({ path: formatPath(path), type: 'changed', before, after });
  }
}

function compareArrays(
  before: unknown[],
  after: unknown[],
  path: PathSegment[],
  out: FieldChange[],
): void {
  if (isNamedList(before) && isNamedList(after)) {
    compareNamedLists(before as JsonRecord[], after as JsonRecord[], path, out);
  } else if (before.every(isRecord) && after.every(isRecord)) {
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index += 1) {
      compareValues(before[index], after[index], [...path, index], out);
    }
  } else {
    out.push({ path: formatPath(path), type: 'changed', before, after });
  }
}

function compareNamedLists(
  before: JsonRecord[],
  after: JsonRecord[],
  path: PathSegment[],
  out: FieldChange[],
): void {
  const beforeByName = new Map(before.map(item => [item.name as string, item]));
  const afterNames = after.map(item => item.name as string);
  for (const item of after) {
    const name = item.name as string;
    compareValues(beforeByName.get(name), item, [...path, { name }], out);
  }
  for (const item of before) {
    const name = item.name as string;
    if (!afterNames.includes(name))
      compareValues(item, undefined, [...path, { name }], out);
  }
  const beforeNames = before.map(item => item.name as string);
  const sameSet =
    beforeNames.length === afterNames.length &&
    beforeNames.every(n => afterNames.includes(n));
  if (sameSet && !jsonEqual(beforeNames, afterNames)) {
    out.push({
      path: formatPath(path),
      type: 'reordered',
      before: beforeNames,
      after: afterNames,
    });
  }
}

/** YAML with sorted keys and no line folding, as diffs show it. */
export function toYaml(object: unknown): string {
  return stringify(object, {
    sortMapEntries: true,
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}

function fileName(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}.yaml`;
}

/** A unified diff of two normalized objects (either may be absent). */
export function unifiedYamlDiff(before?: K8sObject, after?: K8sObject): string {
  const patch = createTwoFilesPatch(
    before ? `a/${fileName(before)}` : '/dev/null',
    after ? `b/${fileName(after)}` : '/dev/null',
    before ? toYaml(before) : '',
    after ? toYaml(after) : '',
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff starts with a row of "=" that git-style diffs do not have.
  return patch.replace(/^=+\n/, '');
}

function statusOf(match: ObjectMatch): ObjectStatus {
  if (!match.before) return 'added';
  if (!match.after) return 'removed';
  if (match.similarity !== undefined) return 'renamed';
  return jsonEqual(match.before, match.after) ? 'unchanged' : 'modified';
}

function describeMatch(match: ObjectMatch): ObjectDiff {
  const object = representative(match);
  const status = statusOf(match);
  const result: ObjectDiff = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    status,
    changes: [],
    unifiedDiff: '',
  };
  if (status === 'renamed') {
    result.previousName = match.before?.metadata.name;
    result.similarity = match.similarity;
  }
  if (status === 'modified' || status === 'renamed') {
    result.changes = fieldChanges(match.before, match.after);
  }
  if (status !== 'unchanged') {
    result.unifiedDiff = unifiedYamlDiff(match.before, match.after);
  }
  return result;
}

/** The diff of already matched objects. */
export function diffMatches(matches: readonly ObjectMatch[]): DiffResult {
  const objects = matches.map(describeMatch);
  const count = (status: ObjectStatus) =>
    objects.filter(o => o.status === status).length;
  return {
    summary: {
      added: count('added'),
      removed: count('removed'),
      modified: count('modified'),
      renamed: count('renamed'),
      unchanged: count('unchanged'),
      total: objects.length,
    },
    objects,
  };
}

/**
 * Diffs normalized objects: `before` is the target as it runs, `after` the
 * target once the source's desired state is applied.
 */
export function diffObjects(
  before: readonly K8sObject[],
  after: readonly K8sObject[],
  options: MatchOptions = {},
): DiffResult {
  return diffMatches(matchObjects(before, after, options));
}
