import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { tollgatePlugin } from '../plugin';

jest.setTimeout(60_000);

const user = `Bearer ${mockCredentials.user.token('user:default/alice')}`;
type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

async function start(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      tollgatePlugin,
      mockServices.permissions.factory({ result }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  return server;
}

const get = (server: Server, path: string) =>
  request(server)
    .get(`/api/tollgate/v1/audit${path}`)
    .set('Authorization', user);

async function registerCluster(server: Server, name: string) {
  const res = await request(server)
    .post('/api/tollgate/v1/clusters')
    .set('Authorization', user)
    .set('x-request-id', `req-${name}`)
    .send({ name, provider: 'aws', region: 'eu-west-1', environment: 'qa' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('audit endpoints', () => {
  it('lists what changed, with who, which request and from where', async () => {
    const server = await start();
    const id = await registerCluster(server, 'qa-1');
    await request(server)
      .delete(`/api/tollgate/v1/clusters/${id}`)
      .set('Authorization', user);

    const all = await get(server, '/logs');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(all.body.items.map((e: { action: string }) => e.action)).toEqual([
      'cluster.delete',
      'cluster.create',
    ]);
    expect(all.body.items[1]).toMatchObject({
      actor: 'user:default/alice',
      targetType: 'cluster',
      targetId: id,
      requestId: 'req-qa-1',
      sourceIp: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/),
      details: { after: expect.objectContaining({ name: 'qa-1' }) },
      previousHash: '0'.repeat(64),
    });
    expect(all.body.items[0].previousHash).toBe(all.body.items[1].hash);

    const filtered = await get(
      server,
      `/logs?action=cluster.create&targetType=cluster&targetId=${id}&actor=user:default/alice&limit=1`,
    );
    expect(filtered.body).toMatchObject({ total: 1, limit: 1 });
    const future = await get(server, '/logs?from=2999-01-01T00:00:00Z');
    expect(future.body).toMatchObject({ total: 0, items: [] });

    const bad = await get(server, '/logs?from=yesterday&limit=0&color=red');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/from: .*limit: .*/);

    expect((await get(server, '/verify')).body).toEqual({
      ok: true,
      checked: 2,
    });
  });

  it('exports CSV and JSON as attachments, with the same filters', async () => {
    const server = await start();
    await registerCluster(server, 'qa-1');
    await registerCluster(server, 'qa-2');

    const csv = await get(server, '/export?format=csv&targetType=cluster');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="tollgate-audit-\d{8}T\d{6}Z\.csv"$/,
    );
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'id,occurredAt,actor,action,targetType,targetId,requestId,sourceIp,details,previousHash,hash',
    );
    expect(lines).toHaveLength(4); // header, two entries, final CRLF
    expect(lines[1]).toContain(',req-qa-1,');
    expect(lines[1]).toContain('"{""after"":{');

    const json = await get(
      server,
      '/export?format=json&actor=user:default/alice',
    );
    expect(json.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(json.headers['content-disposition']).toMatch(/\.json"$/);
    expect(
      JSON.parse(json.text).map((e: { requestId: string }) => e.requestId),
    ).toEqual(['req-qa-1', 'req-qa-2']);

    const none = await get(
      server,
      '/export?format=json&actor=user:default/nobody',
    );
    expect(none.text).toBe('[]');
    expect((await get(server, '/export?format=xml')).status).toBe(400);
  });

  it('needs credentials and tollgate.audit.read', async () => {
    const denied = await start(AuthorizeResult.DENY);
    for (const path of ['/logs', '/export', '/verify']) {
      const res = await get(denied, path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Not allowed: tollgate.audit.read');
      const anonymous = await request(denied).get(
        `/api/tollgate/v1/audit${path}`,
      );
      expect(anonymous.status).toBe(401);
    }
  });
});
