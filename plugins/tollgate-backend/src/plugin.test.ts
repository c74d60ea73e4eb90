import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { tollgatePlugin } from './plugin';

jest.setTimeout(60_000);

const validCluster = {
  name: 'prod-eu-west-1',
  displayName: 'Production EU',
  provider: 'aws',
  region: 'eu-west-1',
  environment: 'production',
  metadata: { team: 'platform' },
};

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  config = {},
) {
  const { server } = await startTestBackend({
    features: [
      tollgatePlugin,
      mockServices.permissions.factory({ result }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return server;
}

const asUser = (ref = 'user:default/alice') =>
  `Bearer ${mockCredentials.user.token(ref)}`;

describe('tollgate backend plugin', () => {
  it('answers /health without credentials', async () => {
    const server = await startBackend();
    const res = await request(server).get('/api/tollgate/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('requires credentials on every cluster endpoint', async () => {
    const server = await startBackend();
    const calls = [
      request(server).get('/api/tollgate/v1/clusters'),
      request(server).post('/api/tollgate/v1/clusters').send(validCluster),
      request(server).get('/api/tollgate/v1/clusters/x'),
      request(server)
        .patch('/api/tollgate/v1/clusters/x')
        .send({ region: 'y' }),
      request(server).delete('/api/tollgate/v1/clusters/x'),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(401);
    }
  });

  it('returns 403 on every cluster endpoint when the policy denies', async () => {
    const server = await startBackend(AuthorizeResult.DENY);
    const auth = asUser();
    const calls = [
      request(server)
        .get('/api/tollgate/v1/clusters')
        .set('Authorization', auth),
      request(server)
        .post('/api/tollgate/v1/clusters')
        .set('Authorization', auth)
        .send(validCluster),
      request(server)
        .get('/api/tollgate/v1/clusters/x')
        .set('Authorization', auth),
      request(server)
        .patch('/api/tollgate/v1/clusters/x')
        .set('Authorization', auth)
        .send({ region: 'y' }),
      request(server)
        .delete('/api/tollgate/v1/clusters/x')
        .set('Authorization', auth),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    }
  });

  it('registers, lists, reads, updates and deletes a cluster when allowed', async () => {
    const server = await startBackend();
    const auth = asUser();

    const created = await request(server)
      .post('/api/tollgate/v1/clusters')
      .set('Authorization', auth)
      .send(validCluster);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...validCluster,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdBy: 'user:default/alice',
    });
    const id = created.body.id;

    const list = await request(server)
      .get('/api/tollgate/v1/clusters')
      .set('Authorization', auth);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual([
      'prod-eu-west-1',
    ]);

    const filtered = await request(server)
      .get('/api/tollgate/v1/clusters?environment=staging')
      .set('Authorization', auth);
    expect(filtered.body.items).toEqual([]);

    const patched = await request(server)
      .patch(`/api/tollgate/v1/clusters/${id}`)
      .set('Authorization', auth)
      .send({ region: 'eu-central-1' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'prod-eu-west-1',
      region: 'eu-central-1',
    });

    const got = await request(server)
      .get(`/api/tollgate/v1/clusters/${id}`)
      .set('Authorization', auth);
    expect(got.body.region).toBe('eu-central-1');

    const deleted = await request(server)
      .delete(`/api/tollgate/v1/clusters/${id}`)
      .set('Authorization', auth);
    expect(deleted.status).toBe(204);

    const gone = await request(server)
      .get(`/api/tollgate/v1/clusters/${id}`)
      .set('Authorization', auth);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({
      name: 'NotFoundError',
      message: `No cluster with id '${id}'`,
    });
  });

  it('answers bad input with a 400 naming each field', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post('/api/tollgate/v1/clusters')
      .set('Authorization', asUser())
      .send({ name: 'Bad_Name', provider: 'ibm', environment: 'prod' });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain('name: Name must be a DNS label');
    expect(res.body.error.message).toContain(
      'provider: Provider must be one of aws, gcp, azure, on-prem, other',
    );
    expect(res.body.error.message).toContain('region: ');

    const unknownField = await request(server)
      .post('/api/tollgate/v1/clusters')
      .set('Authorization', asUser())
      .send({ ...validCluster, color: 'blue' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain('color');

    const emptyPatch = await request(server)
      .patch('/api/tollgate/v1/clusters/x')
      .set('Authorization', asUser())
      .send({});
    expect(emptyPatch.status).toBe(400);
    expect(emptyPatch.body.error.message).toContain('at least one field');

    const notJson = await request(server)
      .post('/api/tollgate/v1/clusters')
      .set('Authorization', asUser())
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expect(notJson.status).toBe(400);
  });

  it('answers a duplicate name with 409 and keeps the first', async () => {
    const server = await startBackend();
    const auth = asUser();
    await request(server)
      .post('/api/tollgate/v1/clusters')
      .set('Authorization', auth)
      .send(validCluster);
    const again = await request(server)
      .post('/api/tollgate/v1/clusters')
      .set('Authorization', auth)
      .send({ ...validCluster, region: 'us-east-1' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      "A cluster named 'prod-eu-west-1' is already registered",
    );
    const list = await request(server)
      .get('/api/tollgate/v1/clusters')
      .set('Authorization', auth);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].region).toBe('eu-west-1');
  });

  it('registers clusters declared in configuration once', async () => {
    const server = await startBackend(AuthorizeResult.ALLOW, {
      tollgate: {
        clusters: [
          {
            name: 'demo-staging',
            provider: 'gcp',
            region: 'europe-west1',
            environment: 'staging',
          },
        ],
      },
    });
    const list = await request(server)
      .get('/api/tollgate/v1/clusters')
      .set('Authorization', asUser());
    expect(list.body.items).toEqual([
      expect.objectContaining({
        name: 'demo-staging',
        displayName: 'demo-staging',
        createdBy: 'config:tollgate.clusters',
      }),
    ]);
  });
});
