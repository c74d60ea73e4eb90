import type { Logger } from '../log.ts';
import type { AgentMetrics } from '../metrics.ts';
import { projectObject } from '../projection.ts';
import type { ChangeSink } from '../source.ts';
import { Backoff, sleep, type BackoffOptions } from '../timing.ts';
import type { KubeClient, WatchEnd, WatchEventType } from './kubeClient.ts';
import type { ResourceType } from './resources.ts';

export interface WatcherDeps {
  client: KubeClient;
  sink: ChangeSink;
  log: Logger;
  metrics: AgentMetrics;
  backoff: BackoffOptions;
}

/** A watch that ran this long was healthy, so the next failure starts the backoff afresh. */
const HEALTHY_WATCH_MS = 60_000;

/**
 * Follows one resource from a list's resourceVersion: resumes after the
 * server closes the stream, advances on BOOKMARKs, backs off on errors, and
 * hands over to a full resync on 410 Gone.
 */
export class ResourceWatcher {
  private readonly resource: ResourceType;
  private readonly deps: WatcherDeps;
  private readonly controller = new AbortController();
  private readonly backoff: Backoff;
  private resourceVersion = '';
  private running: Promise<void> | undefined;

  constructor(resource: ResourceType, deps: WatcherDeps) {
    this.resource = resource;
    this.deps = deps;
    this.backoff = new Backoff(deps.backoff);
  }

  start(resourceVersion: string): void {
    this.resourceVersion = resourceVersion;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      const startedAt = Date.now();
      const end = await this.deps.client.watch(
        this.resource,
        this.resourceVersion,
        (type, object) => this.onEvent(type, object),
        signal,
      );
      if (signal.aborted) return;
      if (Date.now() - startedAt > HEALTHY_WATCH_MS) this.backoff.reset();
      if (end.kind === 'gone') {
        this.restarted('gone');
        this.deps.sink.resyncNeeded(
          `${this.resource.kind} watch expired: ${end.message}`,
        );
        return;
      }
      await this.afterEnd(end, signal);
    }
  }

  private async afterEnd(
    end: Exclude<WatchEnd, { kind: 'gone' }>,
    signal: AbortSignal,
  ): Promise<void> {
    if (end.kind === 'closed') {
      this.restarted('closed');
      this.deps.log.debug('watch closed, resuming', {
        kind: this.resource.kind,
        resourceVersion: this.resourceVersion,
      });
      return;
    }
    this.restarted('error');
    this.deps.sink.problem(
      `watch ${this.resource.kind}`,
      new Error(end.message),
    );
    await sleep(this.backoff.next(), signal);
  }

  private onEvent(type: WatchEventType, object: unknown): void {
    const version = (
      object as { metadata?: { resourceVersion?: unknown } } | undefined
    )?.metadata?.resourceVersion;
    if (typeof version === 'string' && version) this.resourceVersion = version;
    if (type === 'BOOKMARK') return;
    const projected = projectObject(object, this.resource);
    if (!projected) return;
    if (type === 'DELETED') this.deps.sink.remove(projected);
    else this.deps.sink.upsert(projected);
  }

  private restarted(reason: string): void {
    this.deps.metrics.watchRestarts.inc({ kind: this.resource.kind, reason });
  }
}
