import type { Logger } from '../log.ts';
import { projectObject } from '../projection.ts';
import type { ProjectedObject } from '../protocol.ts';
import { Backoff, sleep, type BackoffOptions } from '../timing.ts';
import { KubeApiError, type KubeClient } from './kubeClient.ts';
import { collectionPath, type ResourceType } from './resources.ts';

export interface ListDeps {
  client: KubeClient;
  log: Logger;
  pageSize: number;
  backoff: BackoffOptions;
  /** Reports a recoverable failure before it is retried. */
  problem(context: string, error: unknown): void;
}

export interface ProjectedPage {
  objects: ProjectedObject[];
  /** The list's resourceVersion (the same on every page of one listing), where a watch picks up. */
  resourceVersion: string;
}

/** 403 and 404 will not heal by retrying: the resource is skipped. */
export function isPermanent(error: unknown): boolean {
  return (
    error instanceof KubeApiError &&
    (error.status === 403 || error.status === 404)
  );
}

/**
 * Lists a resource in pages of `pageSize` with `limit`/`continue`. Transient
 * failures are retried with backoff; an expired continue token (410)
 * restarts the listing, which may repeat objects already yielded. Stops
 * quietly when `signal` aborts; throws only permanent errors.
 */
export async function* listPages(
  resource: ResourceType,
  deps: ListDeps,
  signal: AbortSignal,
): AsyncGenerator<ProjectedPage> {
  const backoff = new Backoff(deps.backoff);
  const limit = Math.min(deps.pageSize, resource.maxPageSize ?? deps.pageSize);
  let continueToken: string | undefined;
  while (!signal.aborted) {
    let page;
    try {
      page = await deps.client.listPage(
        resource,
        { limit, continueToken },
        item => projectObject(item, resource),
      );
    } catch (error) {
      if (isPermanent(error)) throw error;
      if (
        error instanceof KubeApiError &&
        error.status === 410 &&
        continueToken
      ) {
        deps.log.info('list continuation expired, listing again', {
          path: collectionPath(resource),
        });
        continueToken = undefined;
        continue;
      }
      deps.problem(`list ${resource.kind}`, error);
      await sleep(backoff.next(), signal);
      continue;
    }
    backoff.reset();
    yield { objects: page.items, resourceVersion: page.resourceVersion };
    if (!page.continueToken) return;
    continueToken = page.continueToken;
  }
}
