import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ConfigError, parseConfig } from '../src/config.ts';
import { DeltaBuffer } from '../src/deltaBuffer.ts';
import { GzipBatch } from '../src/gzipBatch.ts';
import { ObjectIndex, serialize } from '../src/objectIndex.ts';
import type { Change, ProjectedObject } from '../src/protocol.ts';
import { Backoff, parseDuration } from '../src/timing.ts';

const object = (name: string, image = 'a:1'): ProjectedObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: { containers: [{ name: 'c', image }] },
});

const drainAll = (buffer: DeltaBuffer): Change[] => {
  const changes: Change[] = [];
  buffer.drainWhile(change => (changes.push(change), true));
  return changes;
};

describe('DeltaBuffer', () => {
  test('keeps only the latest change per object, in order of latest change', () => {
    const buffer = new DeltaBuffer(10);
    buffer.add({ type: 'upsert', object: object('a', 'a:1') });
    buffer.add({ type: 'upsert', object: object('b') });
    buffer.add({ type: 'upsert', object: object('a', 'a:2') });
    const changes = drainAll(buffer);
    assert.deepEqual(
      changes.map(change => [
        change.object.metadata.name,
        (change.object.spec as any).containers[0].image,
      ]),
      [
        ['b', 'a:1'],
        ['a', 'a:2'],
      ],
    );
    assert.equal(buffer.size, 0);
  });

  test('an upsert then a delete collapses to the delete, and a delete then an upsert to the upsert', () => {
    const buffer = new DeltaBuffer(10);
    buffer.add({ type: 'upsert', object: object('a') });
    buffer.add({ type: 'delete', object: object('a') });
    buffer.add({ type: 'delete', object: object('b') });
    buffer.add({ type: 'upsert', object: object('b') });
    assert.deepEqual(
      drainAll(buffer).map(
        change => `${change.type}:${change.object.metadata.name}`,
      ),
      ['delete:a', 'upsert:b'],
    );
  });

  test('refuses a new object beyond the limit but still coalesces known ones', () => {
    const buffer = new DeltaBuffer(2);
    assert.equal(buffer.add({ type: 'upsert', object: object('a') }), true);
    assert.equal(buffer.add({ type: 'upsert', object: object('b') }), true);
    assert.equal(buffer.add({ type: 'upsert', object: object('c') }), false);
    assert.equal(buffer.add({ type: 'delete', object: object('a') }), true);
    assert.equal(buffer.size, 2);
  });

  test('drainWhile leaves what the consumer declines', () => {
    const buffer = new DeltaBuffer(10);
    for (const name of ['a', 'b', 'c'])
      buffer.add({ type: 'upsert', object: object(name) });
    let taken = 0;
    buffer.drainWhile(() => ++taken <= 2);
    assert.deepEqual(
      drainAll(buffer).map(change => change.object.metadata.name),
      ['c'],
    );
  });
});

describe('ObjectIndex', () => {
  test('reports unchanged objects, ignores resourceVersion and counts per kind', () => {
    const index = new ObjectIndex();
    const json = index.upsert(object('a'));
    assert.deepEqual(JSON.parse(json!), object('a'));
    assert.equal(
      index.upsert({
        ...object('a'),
        metadata: { ...object('a').metadata, resourceVersion: '9' },
      }),
      undefined,
    );
    assert.deepEqual(
      JSON.parse(index.upsert(object('a', 'a:2'))!),
      object('a', 'a:2'),
    );
    index.upsert({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    assert.deepEqual(index.counts(), { Pod: 1, Namespace: 1 });
    assert.equal(index.remove(object('a')), true);
    assert.equal(index.remove(object('a')), false);
  });
});

describe('serialize', () => {
  test('gives the object as JSON, and a digest that ignores resourceVersion', () => {
    const versioned = (resourceVersion: string): ProjectedObject => ({
      ...object('a'),
      metadata: { ...object('a').metadata, resourceVersion },
    });
    const first = serialize(versioned('1'));
    assert.deepEqual(JSON.parse(first.json), versioned('1'));
    assert.equal(serialize(versioned('2')).digest, first.digest);
    assert.equal(serialize(object('a')).digest, first.digest);
    assert.notEqual(serialize(object('a', 'a:2')).digest, first.digest);
    // Fields in another order are serialized as they are.
    const { apiVersion, ...rest } = versioned('3');
    const reordered = { ...rest, apiVersion } as ProjectedObject;
    assert.equal(serialize(reordered).json, JSON.stringify(reordered));
  });
});

describe('GzipBatch', () => {
  const body = async (batch: GzipBatch, trailer?: Record<string, unknown>) =>
    JSON.parse(gunzipSync(await batch.finish(trailer)).toString('utf8'));

  test('limits items and bytes, and wraps them between a header and a trailer', async () => {
    const batch = new GzipBatch({}, 'objects', { maxItems: 3, maxBytes: 12 });
    assert.equal(batch.tryAdd('"aaaa"'), true);
    assert.equal(batch.tryAdd('"bbbb"'), false, 'byte budget');
    assert.deepEqual(await body(batch), { objects: ['aaaa'] });
    const big = new GzipBatch({ sequence: 4 }, 'objects', {
      maxItems: 2,
      maxBytes: 1000,
    });
    assert.equal(big.tryAdd('1'), true);
    assert.equal(big.tryAdd('2'), true);
    assert.equal(big.tryAdd('3'), false, 'item limit');
    assert.equal(big.count, 2);
    assert.deepEqual(await body(big, { final: true }), {
      sequence: 4,
      objects: [1, 2],
      final: true,
    });
    const lone = new GzipBatch({}, 'changes', { maxItems: 5, maxBytes: 2 });
    assert.equal(
      lone.tryAdd('"too large for the budget"'),
      true,
      'an empty batch takes any item',
    );
  });

  test('compresses large batches in pieces into one body', async () => {
    const item = JSON.stringify({ name: 'x'.repeat(1000) });
    const batch = new GzipBatch({ sequence: 1 }, 'objects', {
      maxItems: 5000,
      maxBytes: 4 * 1024 * 1024,
    });
    for (let i = 0; i < 1000; i++) assert.equal(batch.tryAdd(item), true);
    const parsed = await body(batch, { final: false });
    assert.equal(parsed.objects.length, 1000);
    assert.deepEqual(parsed.objects[999], JSON.parse(item));
    assert.equal(parsed.final, false);
  });
});

describe('timing', () => {
  test('parseDuration understands units, and bare numbers as seconds', () => {
    assert.equal(parseDuration('15s'), 15_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('30'), 30_000);
    assert.throws(() => parseDuration('soon'), /Invalid duration/);
  });

  test('Backoff grows exponentially up to the cap, with jitter, and resets', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1);
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map(() => backoff.next()),
      [100, 200, 400, 800, 1000, 1000],
    );
    backoff.reset();
    assert.equal(backoff.next(), 100);
    const jittered = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0.5);
    assert.equal(jittered.next(), 50);
  });
});

describe('parseConfig', () => {
  const required = [
    '--backend-url',
    'https://backstage.example.com/api/tollgate',
    '--cluster-id',
    'prod-eu',
  ];

  test('applies defaults', () => {
    const config = parseConfig(required, {});
    assert.equal(config.heartbeatIntervalMs, 15_000);
    assert.equal(config.tokenFile, '/var/run/secrets/tollgate/token');
    assert.equal(config.batchSize, 1000);
    assert.equal(config.port, 8080);
    assert.equal(config.fromFiles, undefined);
  });

  test('reads the environment, and flags win over it', () => {
    const config = parseConfig(['--heartbeat-interval', '5s'], {
      TOLLGATE_BACKEND_URL: 'http://tollgate:7007/api/tollgate',
      TOLLGATE_CLUSTER_ID: 'dev',
      TOLLGATE_HEARTBEAT_INTERVAL: '30s',
      TOLLGATE_FROM_FILES: '/demo',
      TOLLGATE_LOG_LEVEL: 'debug',
    });
    assert.equal(config.backendUrl, 'http://tollgate:7007/api/tollgate');
    assert.equal(config.heartbeatIntervalMs, 5000);
    assert.equal(config.fromFiles, '/demo');
    assert.equal(config.logLevel, 'debug');
  });

  test('a literal TOLLGATE_TOKEN replaces the default token file', () => {
    const config = parseConfig(required, { TOLLGATE_TOKEN: 'abc' });
    assert.equal(config.token, 'abc');
    assert.equal(config.tokenFile, undefined);
  });

  test('rejects missing and invalid settings', () => {
    assert.throws(() => parseConfig([], {}), ConfigError);
    assert.throws(
      () => parseConfig([...required, '--batch-size', '6000'], {}),
      /batch-size/,
    );
    assert.throws(
      () => parseConfig([...required, '--log-level', 'loud'], {}),
      /log-level/,
    );
    assert.throws(
      () => parseConfig([...required, '--client-cert-file', '/c.pem'], {}),
      /go together/,
    );
    assert.throws(
      () => parseConfig(['--backend-url', 'ftp://x', '--cluster-id', 'a'], {}),
      /http/,
    );
    assert.throws(() => parseConfig([...required, '--unknown-flag', 'x'], {}));
  });
});
