import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A stand-in for the Tollgate backend's ingest endpoints. It records every
 * request (raw bytes too), insists on gzip bodies and the bearer token, and
 * applies batches with the real backend's sequencing rules: a session starts
 * at sequence 1, a replay is a `duplicate`, a gap or unknown session is 409.
 * Tests can take it down (503), queue one-off answers, or lose a response
 * after applying the batch.
 */

export interface ReceivedRequest {
  path: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  body: any;
}

export interface InjectedAnswer {
  /** Only for this endpoint (`heartbeat`, `snapshots`, `deltas`); any when omitted. */
  endpoint?: string;
  status?: number;
  body?: unknown;
  /** Apply the batch, then drop the connection without answering. */
  dropResponse?: boolean;
}

interface StoredSession {
  snapshotId: string;
  lastSequence: number;
  seen: Set<string>;
}

export interface FakeBackendOptions {
  token?: string;
  tls?: { key: Buffer; cert: Buffer; ca: Buffer };
}

const PREFIX = '/api/tollgate/v1/agent/';

export class FakeBackend {
  readonly requests: ReceivedRequest[] = [];
  /** Latest state per `Kind/namespace/name`, as the backend would store it. */
  readonly objects = new Map<string, any>();
  /** Protocol violations seen (missing gzip, bad JSON...). */
  readonly violations: string[] = [];
  token: string;
  down = false;
  completedSnapshots = 0;
  session: StoredSession | undefined;
  private readonly answers: InjectedAnswer[] = [];
  private readonly server: http.Server;
  private readonly protocol: 'http' | 'https';

  private constructor(options: FakeBackendOptions) {
    this.token = options.token ?? 'test-token';
    const handler = (
      request: http.IncomingMessage,
      response: http.ServerResponse,
    ) => this.handle(request, response);
    this.protocol = options.tls ? 'https' : 'http';
    this.server = options.tls
      ? https.createServer(
          { ...options.tls, requestCert: true, rejectUnauthorized: true },
          handler,
        )
      : http.createServer(handler);
  }

  static async start(options: FakeBackendOptions = {}): Promise<FakeBackend> {
    const backend = new FakeBackend(options);
    await new Promise<void>(resolve =>
      backend.server.listen(0, '127.0.0.1', resolve),
    );
    return backend;
  }

  /** Base URL as configured in the agent. */
  get url(): string {
    return `${this.protocol}://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }/api/tollgate`;
  }

  /** Answers the next matching request this way, once. */
  inject(answer: InjectedAnswer): void {
    this.answers.push(answer);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  // ---- views for assertions -------------------------------------------------

  accepted(endpoint: string): ReceivedRequest[] {
    return this.requests.filter(
      request => request.path === endpoint && request.status === 200,
    );
  }

  snapshotParts(snapshotId?: string): any[] {
    return this.accepted('snapshots')
      .map(request => request.body)
      .filter(body => !snapshotId || body.snapshotId === snapshotId);
  }

  deltaBatches(snapshotId?: string): any[] {
    return this.accepted('deltas')
      .map(request => request.body)
      .filter(body => !snapshotId || body.snapshotId === snapshotId);
  }

  heartbeats(): any[] {
    return this.accepted('heartbeat').map(request => request.body);
  }

  object(kind: string, namespace: string | undefined, name: string): any {
    return this.objects.get(`${kind}/${namespace ?? ''}/${name}`);
  }

  // ---- HTTP -----------------------------------------------------------------

  private handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const endpoint = (request.url ?? '').startsWith(PREFIX)
        ? (request.url ?? '').slice(PREFIX.length)
        : '';
      const record: ReceivedRequest = {
        path: endpoint,
        status: 0,
        headers: request.headers,
        raw,
        body: undefined,
      };
      this.requests.push(record);
      const answer = this.answer(request, endpoint, raw, record);
      record.status = answer.status;
      if (answer.drop) {
        request.socket.destroy();
        return;
      }
      const text = JSON.stringify(answer.body);
      response
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(text);
    });
  }

  private answer(
    request: http.IncomingMessage,
    endpoint: string,
    raw: Buffer,
    record: ReceivedRequest,
  ): { status: number; body: unknown; drop?: boolean } {
    if (
      request.method !== 'POST' ||
      !['heartbeat', 'snapshots', 'deltas'].includes(endpoint)
    ) {
      return error(
        404,
        'NotFoundError',
        `no route ${request.method} ${request.url}`,
      );
    }
    if (this.down) return error(503, 'ServiceUnavailable', 'backend is down');
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return error(
        401,
        'AuthenticationError',
        'Unknown, rotated or revoked agent token',
      );
    }
    const body = this.decode(request, raw);
    if (body === undefined)
      return error(400, 'InputError', 'body must be gzip-compressed JSON');
    record.body = body;
    const injected = this.takeAnswer(endpoint);
    if (injected && !injected.dropResponse) {
      return { status: injected.status ?? 500, body: injected.body ?? {} };
    }
    const result = this.apply(endpoint, body);
    return injected?.dropResponse ? { ...result, drop: true } : result;
  }

  private decode(request: http.IncomingMessage, raw: Buffer): any {
    if (request.headers['content-encoding'] !== 'gzip') {
      this.violations.push(
        `content-encoding was ${request.headers['content-encoding']}`,
      );
      return undefined;
    }
    if (
      !String(request.headers['content-type']).startsWith('application/json')
    ) {
      this.violations.push(
        `content-type was ${request.headers['content-type']}`,
      );
    }
    try {
      return JSON.parse(gunzipSync(raw).toString('utf8'));
    } catch (cause) {
      this.violations.push(`undecodable body: ${(cause as Error).message}`);
      return undefined;
    }
  }

  private takeAnswer(endpoint: string): InjectedAnswer | undefined {
    const index = this.answers.findIndex(
      answer => !answer.endpoint || answer.endpoint === endpoint,
    );
    return index >= 0 ? this.answers.splice(index, 1)[0] : undefined;
  }

  private apply(
    endpoint: string,
    body: any,
  ): { status: number; body: unknown } {
    if (endpoint === 'heartbeat') {
      const resnapshot =
        body.snapshotId !== undefined &&
        body.snapshotId !== this.session?.snapshotId;
      return { status: 200, body: { resnapshot } };
    }
    const sequencing = this.advance(
      body,
      endpoint === 'snapshots' && body.sequence === 1,
    );
    if (sequencing !== 'apply') return sequencing;
    if (endpoint === 'snapshots')
      return { status: 200, body: this.applySnapshot(body) };
    return { status: 200, body: this.applyDeltas(body) };
  }

  private advance(
    batch: any,
    startsSession: boolean,
  ): 'apply' | { status: number; body: unknown } {
    const same = this.session?.snapshotId === batch.snapshotId;
    if (same && batch.sequence <= this.session!.lastSequence) {
      return {
        status: 200,
        body: { status: 'duplicate', accepted: 0, rejected: [] },
      };
    }
    if (startsSession) {
      this.session = {
        snapshotId: batch.snapshotId,
        lastSequence: 1,
        seen: new Set(),
      };
      return 'apply';
    }
    if (!same)
      return error(
        409,
        'ConflictError',
        `Resnapshot required: session ${batch.snapshotId} is not current`,
      );
    if (batch.sequence !== this.session!.lastSequence + 1) {
      return error(
        409,
        'ConflictError',
        `Resnapshot required: got ${batch.sequence}`,
      );
    }
    this.session!.lastSequence = batch.sequence;
    return 'apply';
  }

  private applySnapshot(batch: any) {
    for (const object of batch.objects) {
      const key = keyOf(object);
      this.objects.set(key, object);
      this.session!.seen.add(key);
    }
    if (batch.final) {
      for (const key of [...this.objects.keys()]) {
        if (!this.session!.seen.has(key)) this.objects.delete(key);
      }
      this.completedSnapshots += 1;
    }
    return { status: 'applied', accepted: batch.objects.length, rejected: [] };
  }

  private applyDeltas(batch: any) {
    for (const change of batch.changes) {
      if (change.type === 'delete') this.objects.delete(keyOf(change.object));
      else this.objects.set(keyOf(change.object), change.object);
    }
    return { status: 'applied', accepted: batch.changes.length, rejected: [] };
  }
}

function keyOf(object: any): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${
    object.metadata.name
  }`;
}

function error(status: number, name: string, message: string) {
  return {
    status,
    body: { error: { name, message }, response: { statusCode: status } },
  };
}
