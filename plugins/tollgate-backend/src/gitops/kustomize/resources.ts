import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { isRecord } from '../json';

/** An object being rendered, with what kustomize tracks about it. */
export interface KResource {
  object: K8sObject;
  /** Every name the object has had, oldest first; the last one is current. */
  names: string[];
  /** Made by a generator that wants kustomize's content-hash name suffix. */
  hashSuffix: boolean;
}

/** Files a kustomization reads; paths are repository-relative. */
export interface KustomizeFileSystem {
  kind(path: string): Promise<'file' | 'folder' | undefined>;
  /** Names of the regular files directly inside a folder. */
  listFiles(folder: string): Promise<string[]>;
  readBytes(path: string): Promise<Buffer>;
}

export function newResource(object: K8sObject, hashSuffix = false): KResource {
  return { object, names: [object.metadata.name], hashSuffix };
}

export function rename(resource: KResource, name: string): void {
  if (resource.object.metadata.name === name) return;
  resource.object.metadata.name = name;
  resource.names.push(name);
}

export function hadName(resource: KResource, name: string): boolean {
  return resource.names.includes(name);
}

/** `apps/v1` → `apps`; `v1` → "" (the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function apiVersionOnly(apiVersion: string): string {
  return apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
}

/** Same group, kind, namespace and current name: kustomize's resource id. */
export function sameId(a: KResource, b: KResource): boolean {
  const x = a.object;
  const y = b.object;
  return (
    apiGroup(x.apiVersion) === apiGroup(y.apiVersion) &&
    x.kind === y.kind &&
    (x.metadata.namespace ?? '') === (y.metadata.namespace ?? '') &&
    x.metadata.name === y.metadata.name
  );
}

export function describe(object: K8sObject): string {
  const namespace = object.metadata.namespace
    ? `${object.metadata.namespace}/`
    : '';
  return `${object.kind} ${namespace}${object.metadata.name}`;
}

/** A map at `key` of `parent`, created when missing. */
export function ensureRecord(
  parent: Record<string, unknown>,
  key: string,
): Record<string, unknown> {
  const existing = parent[key];
  if (isRecord(existing)) return existing;
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}
