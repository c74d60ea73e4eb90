import { InputError } from '@backstage/errors';
import { isRecord } from '../json';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/* RFC 6902 JSON Patch with RFC 6901 JSON Pointers. */

const operationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('remove'), path: z.string() }),
  z.object({ op: z.literal('move'), path: z.string(), from: z.string() }),
  z.object({ op: z.literal('copy'), path: z.string(), from: z.string() }),
]);

export type JsonPatchOperation = z.infer<typeof operationSchema>;

class PatchFailure extends Error {}

/** Validates a parsed JSON patch document; an InputError names the source and operation. */
export function parseJsonPatch(
  document: unknown,
  source: string,
): JsonPatchOperation[] {
  if (!Array.isArray(document)) {
    throw new InputError(
      `${source}: a JSON patch must be a list of operations`,
    );
  }
  return document.map((operation, index) => {
    const parsed = operationSchema.safeParse(operation);
    if (!parsed.success) {
      throw new InputError(
        `${source}: JSON patch operation ${index + 1} is invalid: ${
          parsed.error.issues[0].message
        }`,
      );
    }
    return parsed.data;
  });
}

/** A patched deep copy of the document. */
export function applyJsonPatch<T>(
  document: T,
  operations: JsonPatchOperation[],
  source: string,
): T {
  let result: unknown = structuredClone(document);
  operations.forEach((operation, index) => {
    try {
      result = applyOperation(result, operation);
    } catch (error) {
      if (!(error instanceof PatchFailure)) throw error;
      throw new InputError(
        `${source}: JSON patch operation ${index + 1} (${operation.op} ${
          operation.path
        }) failed: ${error.message}`,
      );
    }
  });
  return result as T;
}

function applyOperation(doc: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return add(
        doc,
        parsePointer(operation.path),
        structuredClone(operation.value),
      );
    case 'remove':
      return remove(doc, parsePointer(operation.path));
    case 'replace':
      return replace(
        doc,
        parsePointer(operation.path),
        structuredClone(operation.value),
      );
    case 'move': {
      const from = parsePointer(operation.from);
      const value = valueAt(doc, from);
      return add(remove(doc, from), parsePointer(operation.path), value);
    }
    case 'copy': {
      const value = structuredClone(valueAt(doc, parsePointer(operation.from)));
      return add(doc, parsePointer(operation.path), value);
    }
    case 'test':
      if (
        !isDeepStrictEqual(
          valueAt(doc, parsePointer(operation.path)),
          operation.value,
        )
      ) {
        throw new PatchFailure('the value differs');
      }
      return doc;
    default:
      throw new PatchFailure('unknown operation');
  }
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new PatchFailure(`"${pointer}" is not a JSON pointer`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(doc: unknown, path: string[]): unknown {
  let current = doc;
  for (const token of path) {
    if (Array.isArray(current))
      current = current[arrayIndex(current, token, false)];
    else if (isRecord(current) && token in current) current = current[token];
    else throw new PatchFailure(`path does not exist at "${token}"`);
  }
  return current;
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = valueAt(doc, path.slice(0, -1));
  const token = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index =
      token === '-' ? parent.length : arrayIndex(parent, token, true);
    parent.splice(index, 0, value);
  } else if (isRecord(parent)) {
    parent[token] = value;
  } else {
    throw new PatchFailure('the parent is not a map or a list');
  }
  return doc;
}

function replace(doc: unknown, path: string[], value: unknown): unknown {
  valueAt(doc, path);
  if (path.length === 0) return value;
  const parent = valueAt(doc, path.slice(0, -1));
  const token = path[path.length - 1];
  if (Array.isArray(parent)) parent[arrayIndex(parent, token, false)] = value;
  else (parent as Record<string, unknown>)[token] = value;
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  if (path.length === 0) return undefined;
  const parent = valueAt(doc, path.slice(0, -1));
  const token = path[path.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, token, false), 1);
  } else if (isRecord(parent) && token in parent) {
    delete parent[token];
  } else {
    throw new PatchFailure(`path does not exist at "${token}"`);
  }
  return doc;
}

function arrayIndex(
  list: unknown[],
  token: string,
  forInsert: boolean,
): number {
  const index = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : NaN;
  const limit = forInsert ? list.length : list.length - 1;
  if (Number.isNaN(index) || index > limit) {
    throw new PatchFailure(`list index "${token}" is out of range`);
  }
  return index;
}
