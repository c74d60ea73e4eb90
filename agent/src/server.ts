import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './log.ts';

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  isReady: () => boolean;
  log: Logger;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** `/healthz` (alive), `/readyz` (first snapshot sent), `/metrics` (Prometheus). */
export async function startHealthServer(
  options: HealthServerOptions,
): Promise<HealthServer> {
  const server = http.createServer((request, response) => {
    route(request.url ?? '/', options).then(
      ({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type }).end(body);
      },
      error => {
        options.log.warn('health endpoint failed', { error });
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>(resolve =>
    server.listen(options.port, options.host, resolve),
  );
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  url: string,
  options: HealthServerOptions,
): Promise<{ status: number; type: string; body: string }> {
  const path = url.split('?')[0];
  if (path === '/healthz') return text(200, 'ok');
  if (path === '/readyz')
    return options.isReady()
      ? text(200, 'ready')
      : text(503, 'no snapshot sent yet');
  if (path === '/metrics') {
    return {
      status: 200,
      type: options.registry.contentType,
      body: await options.registry.metrics(),
    };
  }
  return text(404, 'not found');
}

function text(status: number, body: string) {
  return { status, type: 'text/plain; charset=utf-8', body };
}
