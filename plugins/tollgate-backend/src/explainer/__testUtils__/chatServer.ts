import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions request as the server received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  /** The raw body, to check what was (not) sent. */
  raw: string;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
  };
}

/** How the server answers one request. */
export type Reply =
  | { content: string; delayMs?: number }
  | { status: number; message: string };

/**
 * A local server speaking OpenAI's chat-completions wire format
 * (`POST /v1/chat/completions`), answering with what `answer` decides.
 */
export async function startChatServer(
  answer: (request: ReceivedRequest) => Reply,
) {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const request: ReceivedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      raw,
      body: JSON.parse(raw),
    };
    requests.push(request);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const reply = answer(request);
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: reply.message, type: 'server_error', code: null },
        }),
      );
      return;
    }
    if (reply.delayMs) await new Promise(r => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(completion(request.body.model, reply.content)));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

function completion(model: string, content: string) {
  return {
    id: 'chatcmpl-test-1',
    object: 'chat.completion',
    created: 1764662400,
    model,
    system_fingerprint: 'fp_test',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 812, completion_tokens: 96, total_tokens: 908 },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
