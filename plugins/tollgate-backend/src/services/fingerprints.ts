import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { canonicalJson, sha256Hex } from './canonicalJson';

/** An object with the SHA-256 of its canonical JSON. */
export interface HashedObject {
  object: K8sObject;
  hash: string;
}

export function hashObject(object: K8sObject): HashedObject {
  return { object, hash: sha256Hex(canonicalJson(object)) };
}

/**
 * SHA-256 over each object's kind, namespace, name and content hash, in a
 * fixed order: equal when, and only when, the same objects with the same
 * content went in.
 */
export function objectsFingerprint(objects: readonly HashedObject[]): string {
  const lines = objects
    .map(({ object, hash }) => {
      const { namespace = '', name } = object.metadata;
      return `${object.kind}/${namespace}/${name}@${hash}`;
    })
    .sort();
  return sha256Hex(lines.join('\n'));
}

/** SHA-256 of any JSON value, independent of key order. */
export function valueFingerprint(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
