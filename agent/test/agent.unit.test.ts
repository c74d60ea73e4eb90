import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Agent, type BackendPort } from '../src/agent.ts';
import { silentLogger } from '../src/log.ts';
import { AgentMetrics } from '../src/metrics.ts';
import type { AgentEndpoint, ProjectedObject } from '../src/protocol.ts';
import type { ChangeSink, StateSource } from '../src/source.ts';
import { waitFor } from './support/harness.ts';

const namespace = (name: string): ProjectedObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

/** A backend that accepts everything and keeps the parsed bodies. */
class AcceptingBackend implements BackendPort {
  readonly received: Array<{ endpoint: AgentEndpoint; body: any }> = [];

  async post(endpoint: AgentEndpoint, body: string | Buffer) {
    const json =
      typeof body === 'string' ? body : gunzipSync(body).toString('utf8');
    this.received.push({ endpoint, body: JSON.parse(json) });
    const answer =
      endpoint === 'heartbeat'
        ? { resnapshot: false }
        : { status: 'applied', accepted: 1, rejected: [] };
    return { kind: 'ok' as const, body: answer };
  }
}

/** Fails its first listing with an unexpected error, then lists two namespaces. */
class FlakySource implements StateSource {
  listings = 0;
  sink: ChangeSink | undefined;

  async *list(sink: ChangeSink): AsyncGenerator<ProjectedObject[]> {
    this.listings += 1;
    this.sink = sink;
    if (this.listings === 1) throw new TypeError('unexpected shape');
    yield [namespace('a'), namespace('b')];
  }

  async stop() {}

  async kubernetesVersion() {
    return 'v1.30.0';
  }
}

function agentWith(
  source: StateSource,
  backend: BackendPort,
  batchIntervalMs = 10,
) {
  return new Agent({
    source,
    backend,
    log: silentLogger,
    metrics: new AgentMetrics(false),
    agentVersion: 'test',
    heartbeatIntervalMs: 1000,
    batchIntervalMs,
    batchSize: 100,
    bufferLimit: 100,
    maxBatchBytes: 1_000_000,
    backoff: { initialMs: 1, maxMs: 5 },
    unauthorizedRetryMs: 10,
    shutdownTimeoutMs: 500,
    newSnapshotId: (() => {
      let next = 0;
      return () => `00000000-0000-4000-8000-00000000000${next++}`;
    })(),
  });
}

test('an unexpected failure while snapshotting is reported and the snapshot is retried', async () => {
  const source = new FlakySource();
  const backend = new AcceptingBackend();
  const agent = agentWith(source, backend);
  agent.start();
  try {
    await waitFor('a snapshot', () => agent.ready);
    assert.equal(source.listings, 2);
    const parts = backend.received
      .filter(request => request.endpoint === 'snapshots')
      .map(request => request.body);
    assert.deepEqual(
      parts.map(part => [part.sequence, part.final, part.objects.length]),
      [[1, true, 2]],
    );
    const heartbeat = await waitFor('a heartbeat with the error', () =>
      backend.received.find(
        request => request.endpoint === 'heartbeat' && request.body.lastError,
      ),
    );
    assert.match(heartbeat.body.lastError, /agent loop: unexpected shape/);
  } finally {
    await agent.stop();
  }
});

test('changes after the snapshot go out as numbered deltas, and stop() flushes the rest', async () => {
  const source = new FlakySource();
  source.listings = 1;
  const backend = new AcceptingBackend();
  const agent = agentWith(source, backend, 60_000);
  agent.start();
  await waitFor('a snapshot', () => agent.ready);
  source.sink!.upsert({
    ...namespace('c'),
    metadata: { name: 'c', labels: { team: 'x' } },
  });
  source.sink!.upsert(namespace('a'));
  source.sink!.remove(namespace('b'));
  await new Promise(resolve => setTimeout(resolve, 50));
  assert.ok(
    !backend.received.some(request => request.endpoint === 'deltas'),
    'nothing is due before the batch interval',
  );
  const { flushed } = await agent.stop();
  assert.equal(flushed, true);
  const deltas = backend.received
    .filter(request => request.endpoint === 'deltas')
    .map(request => request.body);
  const changes = deltas.flatMap(batch =>
    batch.changes.map(
      (change: any) => `${change.type}:${change.object.metadata.name}`,
    ),
  );
  assert.deepEqual(
    changes,
    ['upsert:c', 'delete:b'],
    'the unchanged namespace a is not sent again',
  );
  assert.deepEqual(
    deltas.map(batch => batch.sequence),
    deltas.map((_, index) => index + 2),
  );
});
