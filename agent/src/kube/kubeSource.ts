import type { Logger } from '../log.ts';
import type { AgentMetrics } from '../metrics.ts';
import { objectKey } from '../objectIndex.ts';
import type { ProjectedObject } from '../protocol.ts';
import type { ChangeSink, StateSource } from '../source.ts';
import { Backoff, sleep, type BackoffOptions } from '../timing.ts';
import type { KubeClient } from './kubeClient.ts';
import { isPermanent, listPages, type ListDeps } from './listPages.ts';
import { MetricsPoller } from './metricsPoller.ts';
import {
  RESOURCE_TYPES,
  collectionPath,
  type ResourceType,
} from './resources.ts';
import { ResourceWatcher } from './resourceWatcher.ts';

export interface KubeSourceOptions {
  client: KubeClient;
  log: Logger;
  metrics: AgentMetrics;
  pageSize: number;
  metricsIntervalMs: number;
  backoff: BackoffOptions;
  resources?: readonly ResourceType[];
}

interface Follower {
  stop(): Promise<void>;
}

/** The cluster through its API: list every resource, then watch (or poll) it. */
export class KubeSource implements StateSource {
  private readonly options: KubeSourceOptions;
  private followers: Follower[] = [];
  private version: string | undefined;

  constructor(options: KubeSourceOptions) {
    this.options = options;
  }

  async *list(
    sink: ChangeSink,
    signal: AbortSignal,
  ): AsyncGenerator<ProjectedObject[]> {
    await this.stop();
    const deps = this.listDeps(sink);
    const served = await this.discover(deps, signal);
    for (const resource of this.options.resources ?? RESOURCE_TYPES) {
      if (signal.aborted) return;
      if (!served?.has(resource.apiVersion)) {
        this.options.log.info('API not served, skipping', {
          kind: resource.kind,
          apiVersion: resource.apiVersion,
        });
        continue;
      }
      yield* this.listResource(resource, deps, sink, signal);
    }
  }

  async stop(): Promise<void> {
    const followers = this.followers;
    this.followers = [];
    await Promise.all(followers.map(follower => follower.stop()));
  }

  async kubernetesVersion(): Promise<string | undefined> {
    if (!this.version) {
      try {
        this.version = await this.options.client.serverVersion();
      } catch (error) {
        this.options.log.warn('cannot read the Kubernetes version', { error });
      }
    }
    return this.version;
  }

  private async *listResource(
    resource: ResourceType,
    deps: ListDeps,
    sink: ChangeSink,
    signal: AbortSignal,
  ): AsyncGenerator<ProjectedObject[]> {
    const keys = new Set<string>();
    let resourceVersion = '';
    try {
      for await (const page of listPages(resource, deps, signal)) {
        // Pages of one list share its resourceVersion; after a restarted
        // listing, the last page carries the version of the one that finished.
        resourceVersion = page.resourceVersion;
        if (resource.mode === 'poll')
          page.objects.forEach(object => keys.add(objectKey(object)));
        yield page.objects;
      }
    } catch (error) {
      if (!isPermanent(error)) throw error;
      sink.problem(
        `list ${resource.kind} (skipped: ${collectionPath(resource)})`,
        error,
      );
      return;
    }
    if (signal.aborted) return;
    this.follow(resource, resourceVersion, keys, sink, deps);
  }

  private follow(
    resource: ResourceType,
    resourceVersion: string,
    keys: Set<string>,
    sink: ChangeSink,
    deps: ListDeps,
  ): void {
    const { client, log, metrics, backoff, metricsIntervalMs } = this.options;
    if (resource.mode === 'poll') {
      const poller = new MetricsPoller(
        resource,
        { ...deps, sink, intervalMs: metricsIntervalMs },
        keys,
      );
      poller.start();
      this.followers.push(poller);
      return;
    }
    const watcher = new ResourceWatcher(resource, {
      client,
      sink,
      log,
      metrics,
      backoff,
    });
    watcher.start(resourceVersion);
    this.followers.push(watcher);
  }

  private async discover(
    deps: ListDeps,
    signal: AbortSignal,
  ): Promise<Set<string> | undefined> {
    const backoff = new Backoff(this.options.backoff);
    while (!signal.aborted) {
      try {
        return await this.options.client.groupVersions();
      } catch (error) {
        deps.problem('API discovery', error);
        await sleep(backoff.next(), signal);
      }
    }
    return undefined;
  }

  private listDeps(sink: ChangeSink): ListDeps {
    const { client, log, pageSize, backoff } = this.options;
    return {
      client,
      log,
      pageSize,
      backoff,
      problem: (context, error) => sink.problem(context, error),
    };
  }
}
