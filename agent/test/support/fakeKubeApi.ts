import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A local HTTP server that speaks enough of the Kubernetes API protocol for
 * the agent: discovery, `/version`, paged lists (`limit`/`continue`, one
 * consistent resourceVersion per list, 410 for an expired continue token),
 * and chunked watch streams of JSON lines with resourceVersion resumption,
 * BOOKMARKs, and both forms of "too old" (HTTP 410 and an ERROR event
 * carrying a 410 Status). Its resource table is written from the API
 * reference, independently of the agent's own.
 */

export interface FakeResource {
  kind: string;
  listKind: string;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  watchable: boolean;
}

const resource = (
  kind: string,
  apiVersion: string,
  plural: string,
  namespaced: boolean,
  watchable = true,
): FakeResource => ({
  kind,
  listKind: `${kind}List`,
  apiVersion,
  plural,
  namespaced,
  watchable,
});

export const FAKE_RESOURCES: FakeResource[] = [
  resource('Namespace', 'v1', 'namespaces', false),
  resource('Node', 'v1', 'nodes', false),
  resource('Pod', 'v1', 'pods', true),
  resource('Service', 'v1', 'services', true),
  resource('PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', true),
  resource('PersistentVolume', 'v1', 'persistentvolumes', false),
  resource('ResourceQuota', 'v1', 'resourcequotas', true),
  resource('LimitRange', 'v1', 'limitranges', true),
  resource('ConfigMap', 'v1', 'configmaps', true),
  resource('Secret', 'v1', 'secrets', true),
  resource('ServiceAccount', 'v1', 'serviceaccounts', true),
  resource('Event', 'v1', 'events', true),
  resource('Deployment', 'apps/v1', 'deployments', true),
  resource('StatefulSet', 'apps/v1', 'statefulsets', true),
  resource('DaemonSet', 'apps/v1', 'daemonsets', true),
  resource('ReplicaSet', 'apps/v1', 'replicasets', true),
  resource('Ingress', 'networking.k8s.io/v1', 'ingresses', true),
  resource(
    'HorizontalPodAutoscaler',
    'autoscaling/v2',
    'horizontalpodautoscalers',
    true,
  ),
  resource('PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets', true),
  resource('StorageClass', 'storage.k8s.io/v1', 'storageclasses', false),
  resource('NodeMetrics', 'metrics.k8s.io/v1beta1', 'nodes', false, false),
  resource('PodMetrics', 'metrics.k8s.io/v1beta1', 'pods', true, false),
  resource('PolicyReport', 'wgpolicyk8s.io/v1alpha2', 'policyreports', true),
  resource(
    'ClusterPolicyReport',
    'wgpolicyk8s.io/v1alpha2',
    'clusterpolicyreports',
    false,
  ),
];

const CORE_GROUPS = [
  'apps/v1',
  'networking.k8s.io/v1',
  'autoscaling/v2',
  'autoscaling/v1',
  'policy/v1',
  'storage.k8s.io/v1',
  'events.k8s.io/v1',
];
export const OPTIONAL_GROUPS = [
  'metrics.k8s.io/v1beta1',
  'wgpolicyk8s.io/v1alpha2',
];

export type K8sObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEntry {
  resourceVersion: number;
  path: string;
  type: EventType;
  object: K8sObject;
}

interface OpenWatch {
  path: string;
  response: http.ServerResponse;
  matches: (object: K8sObject) => boolean;
  bookmarks: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface FakeKubeApiOptions {
  /** group/versions served besides the core ones; defaults to all optional ones. */
  optionalGroups?: string[];
  gitVersion?: string;
}

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly stores = new Map<string, Map<string, K8sObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly listSnapshots = new Map<
    string,
    { items: K8sObject[]; resourceVersion: number }
  >();
  private readonly groups: string[];
  private readonly gitVersion: string;
  private resourceVersion = 1000;
  /** Watches from a resourceVersion below this are "too old". */
  private oldestWatchable = 0;
  private nextListId = 1;
  private nextUid = 1;
  /** Answer watch requests with this status instead of a stream. */
  failWatchesWith: number | undefined;
  /** Collection paths answered with 403 Forbidden, as RBAC would. */
  readonly forbidden = new Set<string>();
  /** Answer the next list continuation with 410 Expired. */
  expireNextContinue = false;

  private constructor(options: FakeKubeApiOptions) {
    this.groups = [
      ...CORE_GROUPS,
      ...(options.optionalGroups ?? OPTIONAL_GROUPS),
    ];
    this.gitVersion = options.gitVersion ?? 'v1.31.2';
    this.server = http.createServer((request, response) =>
      this.handle(request, response),
    );
  }

  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const api = new FakeKubeApi(options);
    await new Promise<void>(resolve =>
      api.server.listen(0, '127.0.0.1', resolve),
    );
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A KubeConfig for the real client pointing here. */
  kubeConfig(): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(this.kubeConfigYaml());
    return kubeConfig;
  }

  kubeConfigYaml(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: fake\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`,
      'users:',
      '- name: fake\n  user:\n    token: fake-kube-token',
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: fake',
      'current-context: fake',
      '',
    ].join('\n');
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.response.end();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  // ---- state changes --------------------------------------------------------

  /** Adds objects without watch history, as if they existed before anyone watched. */
  seed(kind: string, objects: K8sObject[]): void {
    const type = resourceOfKind(kind);
    const store = this.store(type);
    for (const object of objects) {
      const stored = this.stamp(type, object);
      store.set(keyOf(stored), stored);
    }
  }

  /** Creates or replaces an object and tells the watchers. */
  apply(kind: string, object: K8sObject): K8sObject {
    const type = resourceOfKind(kind);
    const store = this.store(type);
    const existed = store.has(keyOf(object));
    const stored = this.stamp(type, object);
    store.set(keyOf(stored), stored);
    this.emit(type, existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  delete(kind: string, namespace: string | undefined, name: string): void {
    const type = resourceOfKind(kind);
    const store = this.store(type);
    const key = `${namespace ?? ''}/${name}`;
    const existing = store.get(key);
    if (!existing) throw new Error(`no ${kind} ${key}`);
    store.delete(key);
    const deleted = this.stamp(type, existing);
    this.emit(type, 'DELETED', deleted);
  }

  objects(kind: string): K8sObject[] {
    return [...this.store(resourceOfKind(kind)).values()];
  }

  // ---- protocol events ------------------------------------------------------

  /** Sends a BOOKMARK with the current resourceVersion on every watch that asked for them. */
  bookmark(): void {
    for (const watch of this.watches) {
      if (!watch.bookmarks) continue;
      const type = resourceOfPath(watch.path);
      writeEvent(watch.response, 'BOOKMARK', {
        kind: type?.kind,
        apiVersion: type?.apiVersion,
        metadata: { resourceVersion: String(this.resourceVersion) },
      });
    }
  }

  /**
   * Compacts history: every resourceVersion seen so far becomes too old.
   * Open watches get an ERROR event with a 410 Status (`event`), or are
   * closed so that resuming answers HTTP 410 (`http`).
   */
  expireHistory(via: 'event' | 'http'): void {
    this.resourceVersion += 1;
    this.oldestWatchable = this.resourceVersion;
    this.history.length = 0;
    for (const watch of [...this.watches]) {
      if (via === 'event')
        writeEvent(
          watch.response,
          'ERROR',
          status(410, 'Expired', 'too old resource version'),
        );
      watch.response.end();
      this.watches.delete(watch);
    }
  }

  /** Ends every open watch stream, as the server does when timeoutSeconds passes. */
  closeWatches(): void {
    for (const watch of [...this.watches]) {
      watch.response.end();
      this.watches.delete(watch);
    }
  }

  /** Forgets list snapshots, so continuing a paged list answers 410 Expired. */
  expireContinueTokens(): void {
    this.listSnapshots.clear();
  }

  get openWatchCount(): number {
    return this.watches.size;
  }

  // ---- HTTP -----------------------------------------------------------------

  private handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
    });
    if (request.method !== 'GET')
      return sendJson(
        response,
        405,
        status(405, 'MethodNotAllowed', 'read-only fake'),
      );
    if (url.pathname === '/version')
      return sendJson(response, 200, this.versionInfo());
    if (url.pathname === '/api')
      return sendJson(response, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (url.pathname === '/apis')
      return sendJson(response, 200, this.groupList());
    const type = resourceOfPath(url.pathname);
    if (!type || !this.serves(type)) {
      return sendJson(
        response,
        404,
        status(404, 'NotFound', `the server could not find ${url.pathname}`),
      );
    }
    if (this.forbidden.has(url.pathname)) {
      return sendJson(
        response,
        403,
        status(403, 'Forbidden', `cannot list resource at ${url.pathname}`),
      );
    }
    if (url.searchParams.get('watch') === 'true')
      return this.watch(type, url.searchParams, response);
    this.list(type, url.searchParams, response);
  }

  private list(
    type: FakeResource,
    query: URLSearchParams,
    response: http.ServerResponse,
  ): void {
    const token = query.get('continue');
    const limit = Number(query.get('limit') ?? 0);
    let snapshot: { items: K8sObject[]; resourceVersion: number } | undefined;
    let offset = 0;
    if (token) {
      const decoded = JSON.parse(
        Buffer.from(token, 'base64url').toString(),
      ) as { id: string; offset: number };
      snapshot = this.expireNextContinue
        ? undefined
        : this.listSnapshots.get(decoded.id);
      this.expireNextContinue = false;
      offset = decoded.offset;
      if (!snapshot) {
        return sendJson(
          response,
          410,
          status(410, 'Expired', 'The provided continue parameter is too old'),
        );
      }
    } else {
      const matches = fieldSelectorMatcher(query.get('fieldSelector'));
      const items = [...this.store(type).values()].filter(matches).sort(byKey);
      snapshot = { items, resourceVersion: this.resourceVersion };
    }
    const end = limit > 0 ? offset + limit : snapshot.items.length;
    const metadata: Record<string, unknown> = {
      resourceVersion: String(snapshot.resourceVersion),
    };
    if (end < snapshot.items.length) {
      const id = token
        ? JSON.parse(Buffer.from(token, 'base64url').toString()).id
        : String(this.nextListId++);
      this.listSnapshots.set(id, snapshot);
      metadata.continue = Buffer.from(
        JSON.stringify({ id, offset: end }),
      ).toString('base64url');
      metadata.remainingItemCount = snapshot.items.length - end;
    }
    // Like the real API server, list items carry no apiVersion/kind.
    const items = snapshot.items
      .slice(offset, end)
      .map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    sendJson(response, 200, {
      kind: type.listKind,
      apiVersion: type.apiVersion,
      metadata,
      items,
    });
  }

  private watch(
    type: FakeResource,
    query: URLSearchParams,
    response: http.ServerResponse,
  ): void {
    if (!type.watchable) {
      return sendJson(
        response,
        405,
        status(
          405,
          'MethodNotAllowed',
          'the server does not allow this method',
        ),
      );
    }
    if (this.failWatchesWith !== undefined) {
      return sendJson(
        response,
        this.failWatchesWith,
        status(this.failWatchesWith, 'InternalError', 'injected'),
      );
    }
    const from = Number(query.get('resourceVersion') ?? 0);
    if (from > 0 && from < this.oldestWatchable) {
      return sendJson(
        response,
        410,
        status(410, 'Expired', 'too old resource version'),
      );
    }
    response.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    response.flushHeaders();
    const path = collectionPathOf(type);
    const open: OpenWatch = {
      path,
      response,
      matches: fieldSelectorMatcher(query.get('fieldSelector')),
      bookmarks: query.get('allowWatchBookmarks') === 'true',
    };
    this.replay(open, from);
    this.watches.add(open);
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    const timer =
      timeout > 0
        ? setTimeout(() => response.end(), timeout * 1000)
        : undefined;
    response.on('close', () => {
      clearTimeout(timer);
      this.watches.delete(open);
    });
  }

  /** Events after `from`; from 0 means "start with the current state as ADDED". */
  private replay(watch: OpenWatch, from: number): void {
    if (from === 0) {
      const type = resourceOfPath(watch.path);
      for (const object of type ? this.store(type).values() : []) {
        if (watch.matches(object)) writeEvent(watch.response, 'ADDED', object);
      }
      return;
    }
    for (const entry of this.history) {
      if (
        entry.path === watch.path &&
        entry.resourceVersion > from &&
        watch.matches(entry.object)
      ) {
        writeEvent(watch.response, entry.type, entry.object);
      }
    }
  }

  private emit(type: FakeResource, event: EventType, object: K8sObject): void {
    const path = collectionPathOf(type);
    this.history.push({
      resourceVersion: this.resourceVersion,
      path,
      type: event,
      object,
    });
    for (const watch of this.watches) {
      if (watch.path === path && watch.matches(object))
        writeEvent(watch.response, event, object);
    }
  }

  private stamp(type: FakeResource, object: K8sObject): K8sObject {
    this.resourceVersion += 1;
    const previous = this.store(type).get(keyOf(object));
    return {
      ...object,
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: {
        ...object.metadata,
        uid:
          object.metadata.uid ??
          previous?.metadata.uid ??
          `uid-${this.nextUid++}`,
        resourceVersion: String(this.resourceVersion),
      },
    };
  }

  private store(type: FakeResource): Map<string, K8sObject> {
    const path = collectionPathOf(type);
    let store = this.stores.get(path);
    if (!store) {
      store = new Map();
      this.stores.set(path, store);
    }
    return store;
  }

  private serves(type: FakeResource): boolean {
    return type.apiVersion === 'v1' || this.groups.includes(type.apiVersion);
  }

  private versionInfo() {
    const [major, minor] = this.gitVersion.replace(/^v/, '').split('.');
    return {
      major,
      minor,
      gitVersion: this.gitVersion,
      gitCommit: '0000000',
      gitTreeState: 'clean',
      buildDate: '2024-10-22T20:28:14Z',
      goVersion: 'go1.22.8',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  private groupList() {
    const byGroup = new Map<string, string[]>();
    for (const groupVersion of this.groups) {
      const [group, version] = groupVersion.split('/');
      byGroup.set(group, [...(byGroup.get(group) ?? []), version]);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...byGroup].map(([name, versions]) => ({
        name,
        versions: versions.map(version => ({
          groupVersion: `${name}/${version}`,
          version,
        })),
        preferredVersion: {
          groupVersion: `${name}/${versions[0]}`,
          version: versions[0],
        },
      })),
    };
  }
}

export function collectionPathOf(type: FakeResource): string {
  return type.apiVersion === 'v1'
    ? `/api/v1/${type.plural}`
    : `/apis/${type.apiVersion}/${type.plural}`;
}

function resourceOfKind(kind: string): FakeResource {
  const type = FAKE_RESOURCES.find(candidate => candidate.kind === kind);
  if (!type) throw new Error(`fake API has no kind ${kind}`);
  return type;
}

function resourceOfPath(path: string): FakeResource | undefined {
  return FAKE_RESOURCES.find(type => collectionPathOf(type) === path);
}

function keyOf(object: K8sObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function byKey(a: K8sObject, b: K8sObject): number {
  return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
}

/** Equality selectors joined by commas, e.g. `type=Warning,metadata.namespace=shop`. */
function fieldSelectorMatcher(
  selector: string | null,
): (object: K8sObject) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map(term => term.split('='));
  return object =>
    terms.every(([path, value]) => {
      let current: unknown = object;
      for (const part of path.split('.'))
        current = (current as Record<string, unknown> | undefined)?.[part];
      return current === value;
    });
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

function sendJson(
  response: http.ServerResponse,
  code: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function writeEvent(
  response: http.ServerResponse,
  type: string,
  object: unknown,
): void {
  response.write(`${JSON.stringify({ type, object })}\n`);
}
