import { createHash } from 'node:crypto';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { isRecord } from '../json';

/*
 * kustomize's name-suffix hash for generated ConfigMaps and Secrets, after
 * kustomize api/hasher/hasher.go: JSON-encode {kind, name, data[, binaryData]}
 * (Secrets: {kind, type, name, data[, stringData]}) the way Go's
 * encoding/json does (sorted keys, HTML-safe escaping), SHA-256 it, take the
 * first 10 hex digits and swap 0 1 3 a e for g h k m t so the suffix never
 * looks like a word or a number.
 */

const SUFFIX_LETTERS: Record<string, string> = {
  '0': 'g',
  '1': 'h',
  '3': 'k',
  a: 'm',
  e: 't',
};

export function kustomizeHash(object: K8sObject): string {
  const digest = createHash('sha256')
    .update(encodeForHash(object), 'utf8')
    .digest('hex');
  return digest
    .slice(0, 10)
    .split('')
    .map(char => SUFFIX_LETTERS[char] ?? char)
    .join('');
}

export function encodeForHash(object: K8sObject): string {
  const name = object.metadata.name ?? '';
  const fields: Record<string, unknown> =
    object.kind === 'Secret'
      ? {
          kind: 'Secret',
          type: object.type ?? '',
          name,
          data: object.data ?? '',
        }
      : { kind: 'ConfigMap', name, data: object.data ?? '' };
  const extra = object.kind === 'Secret' ? 'stringData' : 'binaryData';
  if (isRecord(object[extra])) fields[extra] = object[extra];
  return goJson(fields);
}

/** JSON as Go's json.Marshal writes a map: keys sorted bytewise, <, >, & and U+2028/9 escaped. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map(key => `${goString(key)}:${goJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value ?? null);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
