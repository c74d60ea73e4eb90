import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { PathSegment } from './fieldPath';

type Container = YAMLMap | YAMLSeq;
type Key = string | number;

/**
 * Reads and edits a YAML document's syntax tree along a field path with
 * named list items (`containers[name=api]`), so comments and formatting
 * elsewhere survive.
 */
export class YamlTree {
  constructor(readonly document: Document.Parsed | Document) {}

  /** The plain value at the path; undefined when absent. */
  get(path: PathSegment[]): unknown {
    const keys = this.resolve(path);
    if (!keys) return undefined;
    const value = this.document.getIn(keys, false);
    return toPlain(value);
  }

  has(path: PathSegment[]): boolean {
    const keys = this.resolve(path);
    return Boolean(keys) && this.document.hasIn(keys!);
  }

  /** Sets the value, creating maps and named items on the way. */
  set(path: PathSegment[], value: unknown): void {
    const keys = this.ensure(path.slice(0, -1));
    const last = path[path.length - 1];
    const parent = keys.length
      ? (this.document.getIn(keys, true) as Node)
      : this.document.contents;
    if (typeof last === 'object') {
      const seq = parent as YAMLSeq;
      const index = namedIndex(seq, last.name);
      const node = this.document.createNode(value);
      if (index >= 0) seq.items[index] = node;
      else seq.items.push(node);
      return;
    }
    this.document.setIn([...keys, last], this.scalarOrNode(value));
  }

  /** Removes the value; nothing happens when it is absent. */
  delete(path: PathSegment[]): void {
    const keys = this.resolve(path);
    if (keys && this.document.hasIn(keys)) this.document.deleteIn(keys);
  }

  /** The concrete keys of an existing path, or undefined when a step is missing. */
  private resolve(path: PathSegment[]): Key[] | undefined {
    const keys: Key[] = [];
    let node: unknown = this.document.contents;
    for (const segment of path) {
      if (typeof segment === 'object') {
        if (!isSeq(node)) return undefined;
        const index = namedIndex(node, segment.name);
        if (index < 0) return undefined;
        keys.push(index);
        node = node.items[index];
      } else {
        if (!isMap(node) && !isSeq(node)) return undefined;
        keys.push(segment);
        node = (node as Container).get(segment, true);
      }
    }
    return keys;
  }

  /** Like resolve, but creates missing maps, lists and named items. */
  private ensure(path: PathSegment[]): Key[] {
    const keys: Key[] = [];
    path.forEach((segment, position) => {
      const next = path[position + 1];
      let node = (
        keys.length ? this.document.getIn(keys, true) : this.document.contents
      ) as Node | undefined;
      if (typeof segment === 'object') {
        const seq = node as YAMLSeq;
        let index = namedIndex(seq, segment.name);
        if (index < 0) {
          seq.items.push(this.document.createNode({ name: segment.name }));
          index = seq.items.length - 1;
        }
        keys.push(index);
        return;
      }
      keys.push(segment);
      node = this.document.getIn(keys, true) as Node | undefined;
      if (node === undefined || node === null || isScalar(node)) {
        const empty = typeof next === 'object' ? [] : {};
        this.document.setIn(keys, this.document.createNode(empty));
      }
    });
    return keys;
  }

  private scalarOrNode(value: unknown): unknown {
    return value !== null && typeof value === 'object'
      ? this.document.createNode(value)
      : value;
  }
}

function namedIndex(seq: YAMLSeq | undefined, name: string): number {
  if (!isSeq(seq)) return -1;
  return seq.items.findIndex(
    item => isMap(item) && toPlain(item.get('name', true)) === name,
  );
}

function toPlain(value: unknown): unknown {
  if (value && typeof value === 'object' && 'toJSON' in value) {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}
