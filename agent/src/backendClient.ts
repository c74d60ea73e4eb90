import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { errorMessage } from './log.ts';
import { AGENT_PATHS, type AgentEndpoint } from './protocol.ts';
import type { TokenSource } from './token.ts';

const gzipAsync = promisify(gzip);
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** How a push ended, in the terms the agent acts on. */
export type PushOutcome =
  | { kind: 'ok'; body: unknown }
  /** 409: the backend lost or refused our session; start a new one. */
  | { kind: 'conflict'; message: string }
  /** 401/403: the token is wrong, revoked or rotated away. */
  | { kind: 'unauthorized'; message: string }
  /** Another 4xx: this exact body will never be accepted. */
  | { kind: 'rejected'; status: number; message: string }
  /** 5xx, 429, timeouts, network errors: try again later. */
  | { kind: 'unavailable'; message: string };

export interface BackendClientOptions {
  /** e.g. `https://backstage.example.com/api/tollgate` */
  baseUrl: string;
  token: TokenSource;
  /** PEM CA bundle to verify the backend with, instead of the system roots. */
  ca?: string | Buffer;
  /** PEM client certificate and key, for mTLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  timeoutMs?: number;
  /** Sent as `X-Tollgate-Cluster`, for proxies and backend logs; the token decides. */
  clusterId?: string;
}

/** Posts gzip-compressed JSON with the bearer token and classifies the answer. */
export class BackendClient {
  private readonly options: BackendClientOptions;
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(options: BackendClientOptions) {
    this.options = options;
    this.base = new URL(
      options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    );
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: options.ca,
            cert: options.cert,
            key: options.key,
          })
        : new http.Agent({ keepAlive: true });
  }

  /**
   * `body` is the already serialized JSON, or that JSON gzip-compressed, so
   * a retry resends the same bytes.
   */
  async post(
    endpoint: AgentEndpoint,
    body: string | Buffer,
  ): Promise<PushOutcome> {
    let token: string;
    try {
      token = await this.options.token.get();
    } catch (error) {
      // A Secret not mounted yet, or mid-rotation: worth retrying, not a refusal.
      return {
        kind: 'unavailable',
        message: `cannot read the token: ${errorMessage(error)}`,
      };
    }
    try {
      const gzipped = typeof body === 'string' ? await gzipAsync(body) : body;
      const response = await this.send(endpoint, gzipped, token);
      const outcome = classify(response.status, response.body);
      if (outcome.kind === 'unauthorized') this.options.token.invalidate();
      return outcome;
    } catch (error) {
      return { kind: 'unavailable', message: errorMessage(error) };
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    endpoint: AgentEndpoint,
    body: Buffer,
    token: string,
  ): Promise<{ status: number; body: string }> {
    const url = new URL(AGENT_PATHS[endpoint].slice(1), this.base);
    const transport = url.protocol === 'https:' ? https : http;
    const headers: http.OutgoingHttpHeaders = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': body.length,
      accept: 'application/json',
    };
    if (this.options.clusterId)
      headers['x-tollgate-cluster'] = this.options.clusterId;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        { method: 'POST', agent: this.agent, headers },
        response =>
          readBody(response).then(
            text => resolve({ status: response.statusCode ?? 0, body: text }),
            reject,
          ),
      );
      request.setTimeout(this.options.timeoutMs ?? 30_000, () =>
        request.destroy(
          new Error(
            `No answer from the backend within ${
              this.options.timeoutMs ?? 30_000
            } ms`,
          ),
        ),
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

function classify(status: number, text: string): PushOutcome {
  const body = parseJson(text);
  const message = errorText(body) ?? `HTTP ${status}`;
  if (status >= 200 && status < 300) return { kind: 'ok', body };
  if (status === 409) return { kind: 'conflict', message };
  if (status === 401 || status === 403)
    return { kind: 'unauthorized', message };
  if (status === 408 || status === 429 || status >= 500)
    return { kind: 'unavailable', message };
  return { kind: 'rejected', status, message };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Backstage's error body: `{ error: { name, message } }`. */
function errorText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null)
    return typeof body === 'string' ? body.slice(0, 500) : undefined;
  const error = (body as { error?: { name?: unknown; message?: unknown } })
    .error;
  if (!error) return undefined;
  return [error.name, error.message]
    .filter(part => typeof part === 'string')
    .join(': ');
}
