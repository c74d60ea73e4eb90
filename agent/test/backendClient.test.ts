import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { BackendClient } from '../src/backendClient.ts';
import { TokenFile, staticToken } from '../src/token.ts';
import { FakeBackend } from './support/fakeBackend.ts';

const tls = (name: string) =>
  readFileSync(new URL(`./support/tls/${name}`, import.meta.url));
const heartbeat = JSON.stringify({ agentVersion: '0.1.0', objectCounts: {} });

describe('BackendClient', () => {
  let backend: FakeBackend;
  before(async () => {
    backend = await FakeBackend.start();
  });
  after(async () => {
    await backend.close();
  });

  test('posts gzip-compressed JSON with the bearer token to the agent endpoints', async () => {
    const client = new BackendClient({
      baseUrl: backend.url,
      token: staticToken('test-token'),
      clusterId: 'prod-eu',
    });
    const outcome = await client.post('heartbeat', heartbeat);
    assert.deepEqual(outcome, { kind: 'ok', body: { resnapshot: false } });
    const request = backend.requests.at(-1)!;
    assert.equal(request.path, 'heartbeat');
    assert.equal(request.headers['content-encoding'], 'gzip');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-tollgate-cluster'], 'prod-eu');
    assert.equal(gunzipSync(request.raw).toString(), heartbeat);
    client.close();
  });

  test('classifies answers into what the agent acts on', async () => {
    const client = new BackendClient({
      baseUrl: `${backend.url}/`,
      token: staticToken('test-token'),
    });
    const cases: Array<[number, unknown, string]> = [
      [
        409,
        { error: { name: 'ResnapshotRequired', message: 'send a snapshot' } },
        'conflict',
      ],
      [
        401,
        { error: { name: 'AuthenticationError', message: 'no' } },
        'unauthorized',
      ],
      [
        400,
        { error: { name: 'InputError', message: 'bad batch' } },
        'rejected',
      ],
      [503, 'upstream down', 'unavailable'],
      [429, {}, 'unavailable'],
    ];
    for (const [status, body, kind] of cases) {
      backend.inject({ status, body });
      const outcome = await client.post('deltas', '{}');
      assert.equal(outcome.kind, kind, `HTTP ${status}`);
    }
    backend.inject({
      status: 409,
      body: { error: { name: 'ConflictError', message: 'gap' } },
    });
    assert.deepEqual(await client.post('deltas', '{}'), {
      kind: 'conflict',
      message: 'ConflictError: gap',
    });
    const unreachable = new BackendClient({
      baseUrl: 'http://127.0.0.1:1/api/tollgate',
      token: staticToken('x'),
    });
    assert.equal(
      (await unreachable.post('heartbeat', heartbeat)).kind,
      'unavailable',
    );
    client.close();
  });

  test('re-reads a rotated token file, as a Secret volume swaps it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tollgate-rotate-'));
    try {
      const path = join(directory, 'token');
      await writeFile(path, 'first-token\n');
      const client = new BackendClient({
        baseUrl: backend.url,
        token: new TokenFile(path),
      });
      backend.token = 'first-token';
      assert.equal((await client.post('heartbeat', heartbeat)).kind, 'ok');
      await writeFile(join(directory, 'next'), 'second-token\n');
      await rename(join(directory, 'next'), path);
      backend.token = 'second-token';
      assert.equal((await client.post('heartbeat', heartbeat)).kind, 'ok');
      assert.equal(
        backend.requests.at(-1)!.headers.authorization,
        'Bearer second-token',
      );
      await writeFile(path, '');
      assert.equal(
        (await client.post('heartbeat', heartbeat)).kind,
        'unavailable',
        'an empty file is retried',
      );
      client.close();
    } finally {
      backend.token = 'test-token';
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('BackendClient over TLS', () => {
  let backend: FakeBackend;
  before(async () => {
    backend = await FakeBackend.start({
      tls: {
        key: tls('server.key'),
        cert: tls('server.crt'),
        ca: tls('ca.crt'),
      },
    });
  });
  after(async () => {
    await backend.close();
  });

  test('verifies the backend with the CA bundle and authenticates with the client certificate', async () => {
    const client = new BackendClient({
      baseUrl: backend.url,
      token: staticToken('test-token'),
      ca: tls('ca.crt'),
      cert: tls('client.crt'),
      key: tls('client.key'),
    });
    assert.equal((await client.post('heartbeat', heartbeat)).kind, 'ok');
    client.close();
  });

  test('fails without the CA bundle or without the client certificate', async () => {
    const noCa = new BackendClient({
      baseUrl: backend.url,
      token: staticToken('test-token'),
      cert: tls('client.crt'),
      key: tls('client.key'),
    });
    const noCert = new BackendClient({
      baseUrl: backend.url,
      token: staticToken('test-token'),
      ca: tls('ca.crt'),
    });
    const before = backend.requests.length;
    assert.equal((await noCa.post('heartbeat', heartbeat)).kind, 'unavailable');
    assert.equal(
      (await noCert.post('heartbeat', heartbeat)).kind,
      'unavailable',
    );
    assert.equal(
      backend.requests.length,
      before,
      'neither request reached the handler',
    );
    noCa.close();
    noCert.close();
  });
});
