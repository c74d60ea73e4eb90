import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { TollgateClient } from '../TollgateClient';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * A local server standing in for the Tollgate backend at
 * `<base>/api/tollgate`, answering from the test's routes.
 */
export async function startTollgateApi(
  routes: Record<string, { status: number; body: unknown }>,
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const reply = routes[`${req.method} ${req.url}`] ?? {
        status: 404,
        body: { error: { name: 'NotFoundError', message: 'Not found' } },
      };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/api/tollgate`;
  const client = new TollgateClient(
    mockServices.discovery.mock({ getBaseUrl: async () => baseUrl }),
    mockServices.auth(),
  );
  return {
    client,
    received,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
