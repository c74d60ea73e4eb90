import { createHash } from 'node:crypto';
import type { ProjectedObject } from './protocol.ts';

/** `Kind/namespace/name`, unique per object the agent tracks. */
export function objectKey(object: ProjectedObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${
    object.metadata.name
  }`;
}

/**
 * A digest of what matters in an object. resourceVersion is left out: it
 * changes on every write, including writes to fields the projection drops
 * (pod IPs, heartbeat times), and those must not produce deltas. Plain
 * JSON.stringify is enough because lists and watch events come from the same
 * API server encoder, so an unchanged object serializes identically.
 */
export function fingerprint(object: ProjectedObject): string {
  return serialize(object).digest;
}

/**
 * The object's JSON and its {@link fingerprint}, from one serialization: the
 * object is serialized without its resourceVersion, hashed, and the
 * resourceVersion is then spliced in as the first field of metadata.
 */
export function serialize(object: ProjectedObject): {
  json: string;
  digest: string;
} {
  const { resourceVersion, ...metadata } = object.metadata;
  const unversioned = JSON.stringify({ ...object, metadata });
  const digest = createHash('sha1').update(unversioned).digest('base64');
  if (resourceVersion === undefined) return { json: unversioned, digest };
  const head = `{"apiVersion":${JSON.stringify(
    object.apiVersion,
  )},"kind":${JSON.stringify(object.kind)},"metadata":{`;
  // Metadata always has a name after the head; anything else is serialized again.
  const json =
    unversioned.startsWith(head) && unversioned[head.length] !== '}'
      ? `${head}"resourceVersion":${JSON.stringify(
          resourceVersion,
        )},${unversioned.slice(head.length)}`
      : JSON.stringify(object);
  return { json, digest };
}

/**
 * The fingerprint of every object the agent currently reports, per kind:
 * enough to drop no-op updates and count objects without keeping the
 * objects themselves in memory.
 */
export class ObjectIndex {
  private readonly byKind = new Map<string, Map<string, string>>();

  /**
   * Records the object and returns its JSON (see {@link serialize}), or
   * undefined when it is unchanged since last recorded.
   */
  upsert(object: ProjectedObject): string | undefined {
    const objects = this.kindMap(object.kind);
    const key = objectKey(object);
    const { json, digest } = serialize(object);
    if (objects.get(key) === digest) return undefined;
    objects.set(key, digest);
    return json;
  }

  /** Forgets the object; false when it was not tracked. */
  remove(object: ProjectedObject): boolean {
    return this.byKind.get(object.kind)?.delete(objectKey(object)) ?? false;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(
      [...this.byKind].map(([kind, objects]) => [kind, objects.size]),
    );
  }

  clear(): void {
    this.byKind.clear();
  }

  private kindMap(kind: string): Map<string, string> {
    let objects = this.byKind.get(kind);
    if (!objects) {
      objects = new Map();
      this.byKind.set(kind, objects);
    }
    return objects;
  }
}
