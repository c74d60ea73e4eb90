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
  const json = JSON.stringify({
    ...object,
    metadata: { ...object.metadata, resourceVersion: undefined },
  });
  return createHash('sha1').update(json).digest('base64');
}

/**
 * The fingerprint of every object the agent currently reports, per kind:
 * enough to drop no-op updates and count objects without keeping the
 * objects themselves in memory.
 */
export class ObjectIndex {
  private readonly byKind = new Map<string, Map<string, string>>();

  /** Records the object; false when it is unchanged since last recorded. */
  upsert(object: ProjectedObject): boolean {
    const objects = this.kindMap(object.kind);
    const key = objectKey(object);
    const digest = fingerprint(object);
    if (objects.get(key) === digest) return false;
    objects.set(key, digest);
    return true;
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
