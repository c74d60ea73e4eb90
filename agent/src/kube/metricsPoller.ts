import { objectKey } from '../objectIndex.ts';
import type { ProjectedObject } from '../protocol.ts';
import type { ChangeSink } from '../source.ts';
import { sleep } from '../timing.ts';
import { isPermanent, listPages, type ListDeps } from './listPages.ts';
import type { ResourceType } from './resources.ts';

/**
 * metrics.k8s.io cannot be watched, so its objects are listed again every
 * interval: what changed is upserted, what vanished is deleted.
 */
export class MetricsPoller {
  private readonly resource: ResourceType;
  private readonly deps: ListDeps & { sink: ChangeSink; intervalMs: number };
  private readonly controller = new AbortController();
  private known: Set<string>;
  private running: Promise<void> | undefined;

  constructor(
    resource: ResourceType,
    deps: ListDeps & { sink: ChangeSink; intervalMs: number },
    listedKeys: Set<string>,
  ) {
    this.resource = resource;
    this.deps = deps;
    this.known = listedKeys;
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      await sleep(this.deps.intervalMs, signal);
      if (signal.aborted) return;
      try {
        await this.poll(signal);
      } catch (error) {
        this.deps.problem(`poll ${this.resource.kind}`, error);
        if (isPermanent(error)) return;
      }
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const seen = new Set<string>();
    for await (const page of listPages(this.resource, this.deps, signal)) {
      for (const object of page.objects) {
        seen.add(objectKey(object));
        this.deps.sink.upsert(object);
      }
    }
    if (signal.aborted) return;
    for (const key of this.known) {
      if (!seen.has(key)) this.deps.sink.remove(this.identityFromKey(key));
    }
    this.known = seen;
  }

  /** Keys are `Kind/namespace/name`; names and namespaces never contain `/`. */
  private identityFromKey(key: string): ProjectedObject {
    const [, namespace, name] = key.split('/');
    const metadata = namespace ? { name, namespace } : { name };
    return {
      apiVersion: this.resource.apiVersion,
      kind: this.resource.kind,
      metadata,
    };
  }
}
