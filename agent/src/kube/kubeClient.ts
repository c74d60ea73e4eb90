import http from 'node:http';
import https from 'node:https';
import {
  ApiException,
  ApisApi,
  KubeConfig,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import { errorMessage } from '../log.ts';
import { collectionPath, type ResourceType } from './resources.ts';

export interface ListRequest {
  limit: number;
  continueToken?: string;
}

export interface ListPage {
  items: unknown[];
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
  listPage(resource: ResourceType, request: ListRequest): Promise<ListPage>;
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
 * plugins, rotating token files), `Watch` streams watch events, and the
 * generated clients answer `/version` and `/apis`.
 *
 * Lists are plain GETs with the KubeConfig's request options rather than the
 * generated typed clients: the agent needs the wire JSON anyway (to project
 * it exactly as watch events are projected), and deserializing every page
 * into model classes first more than doubled list time and raised memory in
 * bench/agent (see RESULTS.md).
 */
export class ClientNodeKubeClient implements KubeClient {
  private readonly kubeConfig: KubeConfig;
  private readonly version: VersionApi;
  private readonly discovery: ApisApi;
  private readonly watcher: Watch;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.version = kubeConfig.makeApiClient(VersionApi);
    this.discovery = kubeConfig.makeApiClient(ApisApi);
    this.watcher = new Watch(kubeConfig);
  }

  async listPage(
    resource: ResourceType,
    request: ListRequest,
  ): Promise<ListPage> {
    const query = new URLSearchParams({ limit: String(request.limit) });
    if (request.continueToken) query.set('continue', request.continueToken);
    if (resource.fieldSelector)
      query.set('fieldSelector', resource.fieldSelector);
    const path = `${collectionPath(resource)}?${query}`;
    const list = (await this.getJson(path)) as {
      items?: unknown[];
      metadata?: { resourceVersion?: string; continue?: string };
    };
    return {
      items: list.items ?? [],
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
    try {
      return (await this.version.getCode()).gitVersion;
    } catch (error) {
      throw asKubeError(error, 'get /version');
    }
  }

  async groupVersions(): Promise<Set<string>> {
    try {
      const groups = await this.discovery.getAPIVersions();
      const served = new Set(['v1']);
      for (const group of groups.groups) {
        for (const version of group.versions) served.add(version.groupVersion);
      }
      return served;
    } catch (error) {
      throw asKubeError(error, 'get /apis');
    }
  }

  private async getJson(path: string): Promise<unknown> {
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
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode === 200) return resolve(JSON.parse(text));
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

function asKubeError(error: unknown, action: string): KubeApiError {
  if (error instanceof ApiException) {
    const body =
      typeof error.body === 'string' ? parseStatus(error.body) : error.body;
    const detail =
      (body as { message?: string } | undefined)?.message ??
      `HTTP ${error.code}`;
    return new KubeApiError(`${action}: ${detail}`, error.code);
  }
  return new KubeApiError(`${action}: ${errorMessage(error)}`);
}

function parseStatus(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}
