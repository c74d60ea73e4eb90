import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ListItemSplitter } from '../src/kube/listItems.ts';

/** Feeds `body` in chunks of `size` bytes; returns the items and the list. */
function split(body: Buffer, size: number) {
  const items: unknown[] = [];
  const splitter = new ListItemSplitter(json => items.push(JSON.parse(json)));
  for (let start = 0; start < body.length; start += size)
    splitter.write(body.subarray(start, start + size));
  return { items, list: splitter.end() };
}

const ITEMS = [
  {
    metadata: {
      name: 'a',
      annotations: { note: 'braces } ] { [ and "quotes"' },
    },
    spec: { containers: [{ name: 'c', args: ['--x=[1]', '\\', 'é€😀'] }] },
  },
  { metadata: { name: 'b' }, data: { 'key\\"': '\\\\"}' } },
  { metadata: { name: 'c' }, status: { conditions: [] } },
];

describe('ListItemSplitter', () => {
  test('hands on each item and returns the list without them, however the bytes are chunked', () => {
    const body = Buffer.from(
      JSON.stringify(
        {
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '42', continue: 'abc' },
          items: ITEMS,
        },
        null,
        1,
      ),
    );
    for (const size of [1, 2, 3, 7, 64, body.length]) {
      const { items, list } = split(body, size);
      assert.deepEqual(items, ITEMS, `chunks of ${size}`);
      assert.deepEqual(list, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '42', continue: 'abc' },
        items: [],
      });
    }
  });

  test('finds the items wherever they are, and lists without any', () => {
    const itemsFirst = Buffer.from(
      JSON.stringify({ items: ITEMS, metadata: { resourceVersion: '7' } }),
    );
    const { items, list } = split(itemsFirst, 5);
    assert.deepEqual(items, ITEMS);
    assert.deepEqual(list, { items: [], metadata: { resourceVersion: '7' } });
    const empty = split(Buffer.from('{"kind":"PodList","items":[]}'), 4);
    assert.deepEqual(empty, {
      items: [],
      list: { kind: 'PodList', items: [] },
    });
    const none = split(Buffer.from('{"kind":"PodList","items":null}'), 4);
    assert.deepEqual(none, {
      items: [],
      list: { kind: 'PodList', items: null },
    });
  });

  test('refuses a body that ends early', () => {
    const splitter = new ListItemSplitter(() => {});
    splitter.write(Buffer.from('{"items":[{"metadata":{"name":"a"}}'));
    assert.throws(() => splitter.end(), SyntaxError);
  });
});
