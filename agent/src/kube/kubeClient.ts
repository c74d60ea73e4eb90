import http from 'node:http';
import https from 'node:https';
// client-node's own modules rather than its index, which would load every
// generated API and model class (see slimClientNode.ts).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import { errorMessage } from '../log.ts';
import { ListItemSplitter } from './listItems.ts';
import { collectionPath, type ResourceType } from './resources.ts';

export interface ListRequest {
  limit: number;
  continueToken?: string;
}

export interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  continueToken?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** Why a watch stream ended. */
export type WatchEnd =
  /** The server or an idle timeout closed it: resume from the last resourceVersion. */
  | { kind: 'closed' }
  /** 410 Gone: the resourceVersion is too old; only a fresh list helps. */
  | { kind: 'gone'; message: string }
  | { kind: 'failed'; message: string; status?: number };

export class KubeApiError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
  }
}

/** The Kubernetes reads the agent makes; tests and benches drive the real implementation. */
export interface KubeClient {
  /**
   * One page of a list, each item passed through `project` as it arrives
   * (items it returns undefined for are left out).
   */
  listPage<T>(
    resource: ResourceType,
    request: ListRequest,
    project: (item: unknown) => T | undefined,
  ): Promise<ListPage<T>>;
  watch(
    resource: ResourceType,
    resourceVersion: string,
    onEvent: (type: WatchEventType, object: unknown) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd>;
  /** `gitVersion` from `/version`, e.g. `v1.31.2`. */
  serverVersion(): Promise<string>;
  /** Every served `group/version` (and `v1` for the core group). */
  groupVersions(): Promise<Set<string>>;
}

/** Watches are closed by the server after this long (randomised, like client-go). */
const MIN_WATCH_TIMEOUT_SECONDS = 300;

const LIST_TIMEOUT_MS = 60_000;

/**
 * {@link KubeClient} over `@kubernetes/client-node`: the KubeConfig supplies
 * the server, credentials and TLS settings (in-cluster, kubeconfig, exec
 * plugins, rotating token files) and `Watch` streams watch events.
 *
 * Lists, `/version` and `/apis` are plain GETs with the KubeConfig's request
 * options rather than the generated typed clients: the agent needs the wire
 * JSON anyway (to project it exactly as watch events are projected), and
 * deserializing every page into model classes first more than doubled list
 * time and raised memory in bench/agent (see RESULTS.md).
 */
export class ClientNodeKubeClient implements KubeClient {
  private readonly kubeConfig: KubeConfig;
  private readonly watcher: Watch;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.watcher = new Watch(kubeConfig);
  }

  async listPage<T>(
    resource: ResourceType,
    request: ListRequest,
    project: (item: unknown) => T | undefined,
  ): Promise<ListPage<T>> {
    const query = new URLSearchParams({ limit: String(request.limit) });
    if (request.continueToken) query.set('continue', request.continueToken);
    if (resource.fieldSelector)
      query.set('fieldSelector', resource.fieldSelector);
    const path = `${collectionPath(resource)}?${query}`;
    const items: T[] = [];
    const splitter = new ListItemSplitter(json => {
      const item = project(JSON.parse(json));
      if (item !== undefined) items.push(item);
    });
    const list = (await this.get(path, splitter)) as {
      metadata?: { resourceVersion?: string; continue?: string };
    };
    return {
      items,
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continueToken: list.metadata?.continue || undefined,
    };
  }

  watch(
    resource: ResourceType,
    resourceVersion: string,
    onEvent: (type: WatchEventType, object: unknown) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd> {
    const query = {
      resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds:
        MIN_WATCH_TIMEOUT_SECONDS +
        Math.floor(Math.random() * MIN_WATCH_TIMEOUT_SECONDS),
      fieldSelector: resource.fieldSelector,
    };
    return new Promise<WatchEnd>(resolve => {
      let ended: WatchEnd | undefined;
      let controller: AbortController | undefined;
      const end = (outcome: WatchEnd) => {
        if (ended) return;
        ended = outcome;
        controller?.abort();
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => end({ kind: 'closed' });
      signal.addEventListener('abort', onAbort, { once: true });
      const onLine = (type: string, object: unknown) => {
        if (ended) return;
        if (type === 'ERROR') end(watchErrorEvent(object));
        else if (isEventType(type)) onEvent(type, object);
      };
      this.watcher
        .watch(collectionPath(resource), query, onLine, error =>
          end(error ? watchFailure(error) : { kind: 'closed' }),
        )
        .then(
          started => {
            controller = started;
            if (ended) started.abort();
          },
          error => end(watchFailure(error)),
        );
    });
  }

  async serverVersion(): Promise<string> {
    const info = (await this.getJson('/version')) as { gitVersion?: unknown };
    if (typeof info?.gitVersion !== 'string')
      throw new KubeApiError('GET /version: no gitVersion in the answer');
    return info.gitVersion;
  }

  async groupVersions(): Promise<Set<string>> {
    const list = (await this.getJson('/apis')) as {
      groups?: Array<{ versions?: Array<{ groupVersion?: string }> }>;
    };
    const served = new Set(['v1']);
    for (const group of list?.groups ?? []) {
      for (const version of group.versions ?? []) {
        if (version.groupVersion) served.add(version.groupVersion);
      }
    }
    return served;
  }

  private getJson(path: string): Promise<unknown> {
    return this.get(path);
  }

  /**
   * GETs `path` with the KubeConfig's server, credentials and TLS settings
   * and parses the JSON answer; with a `splitter`, the body of a successful
   * answer streams through it instead.
   */
  private async get(
    path: string,
    splitter?: ListItemSplitter,
  ): Promise<unknown> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new KubeApiError('No current cluster in the kubeconfig');
    const options: https.RequestOptions = {
      headers: { accept: 'application/json' },
    };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const url = new URL(server + path);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.get(url, options, response => {
        const ok = response.statusCode === 200;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (!ok || !splitter) {
            chunks.push(chunk);
            return;
          }
          try {
            splitter.write(chunk);
          } catch (error) {
            // A malformed item, or one the projection could not take.
            request.destroy(error as Error);
          }
        });
        response.on('error', reject);
        response.on('end', () => {
          if (ok) {
            try {
              resolve(
                splitter
                  ? splitter.end()
                  : JSON.parse(Buffer.concat(chunks).toString('utf8')),
              );
            } catch (error) {
              reject(new KubeApiError(`GET ${path}: ${errorMessage(error)}`));
            }
            return;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          const status = parseStatus(text) as { message?: string };
          reject(
            new KubeApiError(
              `GET ${path}: ${status.message ?? `HTTP ${response.statusCode}`}`,
              response.statusCode,
            ),
          );
        });
      });
      request.setTimeout(LIST_TIMEOUT_MS, () =>
        request.destroy(new Error(`GET ${path} timed out`)),
      );
      request.on('error', error =>
        reject(new KubeApiError(`GET ${path}: ${errorMessage(error)}`)),
      );
    });
  }
}

function isEventType(type: string): type is WatchEventType {
  return (
    type === 'ADDED' ||
    type === 'MODIFIED' ||
    type === 'DELETED' ||
    type === 'BOOKMARK'
  );
}

/** An ERROR event carries a Status; code 410 means the resourceVersion expired. */
function watchErrorEvent(status: unknown): WatchEnd {
  const { code, message } = (status ?? {}) as {
    code?: number;
    message?: string;
  };
  const text = message ?? `watch ERROR event (code ${code ?? 'unknown'})`;
  return code === 410
    ? { kind: 'gone', message: text }
    : { kind: 'failed', message: text, status: code };
}

function watchFailure(error: unknown): WatchEnd {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 410)
    return { kind: 'gone', message: 'watch answered 410 Gone' };
  if (error instanceof Error && error.name === 'TimeoutError')
    return { kind: 'closed' };
  return { kind: 'failed', message: errorMessage(error), status };
}

function parseStatus(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}
