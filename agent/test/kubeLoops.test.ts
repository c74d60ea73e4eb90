import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  KubeApiError,
  type KubeClient,
  type ListPage,
  type WatchEnd,
  type WatchEventType,
} from '../src/kube/kubeClient.ts';
import { listPages } from '../src/kube/listPages.ts';
import { RESOURCE_TYPES, type ResourceType } from '../src/kube/resources.ts';
import { ResourceWatcher } from '../src/kube/resourceWatcher.ts';
import { silentLogger } from '../src/log.ts';
import { AgentMetrics } from '../src/metrics.ts';
import type { ProjectedObject } from '../src/protocol.ts';
import type { ChangeSink } from '../src/source.ts';

const resource = (kind: string): ResourceType =>
  RESOURCE_TYPES.find(type => type.kind === kind)!;
const pod = (name: string, resourceVersion: string) => ({
  metadata: { name, namespace: 'shop', resourceVersion },
});
const backoff = { initialMs: 1, maxMs: 5 };

/** A KubeClient that answers from scripts, recording what it was asked. */
class ScriptedClient implements KubeClient {
  readonly lists: Array<{ limit: number; continueToken?: string }> = [];
  readonly watches: string[] = [];
  listAnswers: Array<ListPage<unknown> | Error> = [];
  watchScripts: Array<
    (emit: (type: WatchEventType, object: unknown) => void) => WatchEnd
  > = [];

  async listPage<T>(
    _resource: ResourceType,
    request: { limit: number; continueToken?: string },
    project: (item: unknown) => T | undefined,
  ): Promise<ListPage<T>> {
    this.lists.push(request);
    const answer = this.listAnswers.shift();
    if (!answer) throw new Error('no more list answers');
    if (answer instanceof Error) throw answer;
    return {
      ...answer,
      items: answer.items.flatMap(item => project(item) ?? []),
    };
  }

  async watch(
    _resource: ResourceType,
    resourceVersion: string,
    onEvent: (type: WatchEventType, object: unknown) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd> {
    this.watches.push(resourceVersion);
    const script = this.watchScripts.shift();
    if (!script) {
      await new Promise(resolve =>
        signal.addEventListener('abort', resolve, { once: true }),
      );
      return { kind: 'closed' };
    }
    return script(onEvent);
  }

  async serverVersion() {
    return 'v1.31.0';
  }

  async groupVersions() {
    return new Set(['v1']);
  }
}

function recordingSink() {
  const seen = {
    upserts: [] as ProjectedObject[],
    removes: [] as ProjectedObject[],
    resyncs: [] as string[],
    problems: [] as string[],
  };
  const sink: ChangeSink = {
    upsert: object => seen.upserts.push(object),
    remove: object => seen.removes.push(object),
    resyncNeeded: reason => seen.resyncs.push(reason),
    problem: context => seen.problems.push(context),
  };
  return { sink, seen };
}

async function collect(
  client: KubeClient,
  type: ResourceType,
  pageSize: number,
  problems: string[] = [],
) {
  const pages = [];
  const deps = {
    client,
    log: silentLogger,
    pageSize,
    backoff,
    problem: (context: string) => problems.push(context),
  };
  for await (const page of listPages(type, deps, new AbortController().signal))
    pages.push(page);
  return pages;
}

describe('listPages', () => {
  test('follows continue tokens; every page carries the list resourceVersion', async () => {
    const client = new ScriptedClient();
    client.listAnswers = [
      {
        items: [pod('a', '5'), pod('b', '6')],
        resourceVersion: '10',
        continueToken: 'next',
      },
      { items: [pod('c', '7')], resourceVersion: '10' },
    ];
    const pages = await collect(client, resource('Pod'), 2);
    assert.deepEqual(
      pages.map(page => page.objects.map(object => object.metadata.name)),
      [['a', 'b'], ['c']],
    );
    assert.deepEqual(client.lists, [
      { limit: 2, continueToken: undefined },
      { limit: 2, continueToken: 'next' },
    ]);
    assert.equal(pages[0].objects[0].kind, 'Pod');
    assert.equal(pages[0].objects[0].apiVersion, 'v1');
  });

  test('caps the page size for kinds with large objects', async () => {
    const client = new ScriptedClient();
    client.listAnswers = [{ items: [], resourceVersion: '1' }];
    await collect(client, resource('ConfigMap'), 500);
    assert.equal(client.lists[0].limit, 50);
  });

  test('restarts after an expired continue token and retries transient errors', async () => {
    const client = new ScriptedClient();
    client.listAnswers = [
      new KubeApiError('connection reset'),
      { items: [pod('a', '5')], resourceVersion: '10', continueToken: 'old' },
      new KubeApiError('continue too old', 410),
      { items: [pod('a', '5'), pod('b', '6')], resourceVersion: '12' },
    ];
    const problems: string[] = [];
    const pages = await collect(client, resource('Pod'), 1, problems);
    assert.deepEqual(
      client.lists.map(request => request.continueToken),
      [undefined, undefined, 'old', undefined],
    );
    assert.deepEqual(problems, ['list Pod']);
    assert.deepEqual(
      pages.map(page => page.resourceVersion),
      ['10', '12'],
    );
  });

  test('throws 403 and 404 at once', async () => {
    const client = new ScriptedClient();
    client.listAnswers = [new KubeApiError('forbidden', 403)];
    await assert.rejects(collect(client, resource('Pod'), 5), /forbidden/);
    assert.equal(client.lists.length, 1);
  });
});

describe('ResourceWatcher', () => {
  test('resumes from the last event or BOOKMARK, projects events, and hands 410 over to a resync', async () => {
    const client = new ScriptedClient();
    client.watchScripts = [
      emit => {
        emit('ADDED', pod('a', '11'));
        emit('BOOKMARK', { metadata: { resourceVersion: '15' } });
        return { kind: 'closed' };
      },
      emit => {
        emit('MODIFIED', pod('a', '16'));
        emit('DELETED', pod('b', '17'));
        return { kind: 'failed', message: 'stream reset' };
      },
      () => ({ kind: 'gone', message: 'too old resource version' }),
    ];
    const { sink, seen } = recordingSink();
    const metrics = new AgentMetrics(false);
    const watcher = new ResourceWatcher(resource('Pod'), {
      client,
      sink,
      log: silentLogger,
      metrics,
      backoff,
    });
    watcher.start('10');
    await new Promise(resolve => setTimeout(resolve, 100));
    await watcher.stop();
    assert.deepEqual(client.watches, ['10', '15', '17']);
    assert.deepEqual(
      seen.upserts.map(
        object =>
          `${object.kind}/${object.metadata.name}@${object.metadata.resourceVersion}`,
      ),
      ['Pod/a@11', 'Pod/a@16'],
    );
    assert.deepEqual(
      seen.removes.map(object => object.metadata.name),
      ['b'],
    );
    assert.deepEqual(seen.problems, ['watch Pod']);
    assert.equal(seen.resyncs.length, 1);
    assert.match(seen.resyncs[0], /Pod watch expired/);
    const restarts = await metrics.registry.getSingleMetricAsString(
      'tollgate_agent_watch_restarts_total',
    );
    for (const reason of ['closed', 'error', 'gone'])
      assert.match(restarts, new RegExp(`reason="${reason}"} 1`));
  });
});
