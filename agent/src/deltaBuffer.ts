import { objectKey } from './objectIndex.ts';
import type { Change } from './protocol.ts';

/**
 * Changes waiting to be sent, at most one per object: a newer change to an
 * object replaces the older one (so an upsert then a delete leaves the
 * delete) and moves it to the back, keeping the order of latest changes.
 */
export class DeltaBuffer {
  private readonly changes = new Map<string, Change>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.changes.size;
  }

  /** False when the change would exceed the limit; the buffer is unchanged then. */
  add(change: Change): boolean {
    const key = objectKey(change.object);
    const known = this.changes.delete(key);
    if (!known && this.changes.size >= this.limit) return false;
    this.changes.set(key, change);
    return true;
  }

  /** Removes changes, oldest first, for as long as `accept` takes them. */
  drainWhile(accept: (change: Change) => boolean): void {
    for (const [key, change] of this.changes) {
      if (!accept(change)) return;
      this.changes.delete(key);
    }
  }

  clear(): void {
    this.changes.clear();
  }
}
