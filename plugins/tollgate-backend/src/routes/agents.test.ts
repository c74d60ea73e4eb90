import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { tollgatePlugin } from '../plugin';
import { deployment, namespace, node } from '../__testUtils__/objects';

jest.setTimeout(60_000);

const user = `Bearer ${mockCredentials.user.token('user:default/alice')}`;

async function start(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
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

async function registerCluster(server: Awaited<ReturnType<typeof start>>) {
  const res = await request(server)
    .post('/api/tollgate/v1/clusters')
    .set('Authorization', user)
    .send({
      name: 'stg',
      provider: 'aws',
      region: 'eu-west-1',
      environment: 'staging',
    });
  return res.body.id as string;
}

function gzipJson(body: unknown) {
  return gzipSync(Buffer.from(JSON.stringify(body)));
}

describe('agent endpoints', () => {
  it('ingests a gzip snapshot with the agent token and serves it back to users', async () => {
    const server = await start();
    const clusterId = await registerCluster(server);
    const issued = await request(server)
      .post(`/api/tollgate/v1/clusters/${clusterId}/agent-token`)
      .set('Authorization', user);
    expect(issued.status).toBe(201);
    const agentAuth = `Bearer ${issued.body.token}`;

    // fetch, not supertest: superagent would re-serialize a Buffer body as JSON.
    const { port } = server.address() as AddressInfo;
    const snapshot = await fetch(
      `http://127.0.0.1:${port}/api/tollgate/v1/agent/snapshots`,
      {
        method: 'POST',
        headers: {
          Authorization: agentAuth,
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
        },
        body: gzipJson({
          snapshotId: randomUUID(),
          sequence: 1,
          final: true,
          objects: [
            namespace('shop'),
            node('ip-10-0-1-1'),
            deployment('api'),
            deployment('worker'),
          ],
        }),
      },
    );
    expect(snapshot.status).toBe(200);
    expect(await snapshot.json()).toEqual({
      status: 'applied',
      accepted: 4,
      rejected: [],
    });

    const heartbeat = await request(server)
      .post('/api/tollgate/v1/agent/heartbeat')
      .set('Authorization', agentAuth)
      .send({
        agentVersion: '0.1.0',
        kubernetesVersion: 'v1.31.2',
        objectCounts: { Deployment: 2 },
      });
    expect(heartbeat.body).toEqual({ resnapshot: false });

    const status = await request(server)
      .get(`/api/tollgate/v1/clusters/${clusterId}/agent-status`)
      .set('Authorization', user);
    expect(status.body).toMatchObject({
      status: 'connected',
      kubernetesVersion: 'v1.31.2',
    });

    const selected = await request(server)
      .get(`/api/tollgate/v1/clusters/${clusterId}/objects`)
      .query({ kind: 'Deployment', labelSelector: 'app in (api),tier=backend' })
      .set('Authorization', user);
    expect(selected.body.items.map((o: { name: string }) => o.name)).toEqual([
      'api',
    ]);

    const releases = await request(server)
      .get(`/api/tollgate/v1/clusters/${clusterId}/helm-releases`)
      .set('Authorization', user);
    expect(releases.body.items).toEqual([
      expect.objectContaining({
        name: 'shop',
        namespace: 'shop',
        objectCount: 2,
        kinds: ['Deployment'],
      }),
    ]);

    const snapshots = await request(server)
      .get(`/api/tollgate/v1/clusters/${clusterId}/snapshots`)
      .set('Authorization', user);
    expect(snapshots.body.items[0]).toMatchObject({
      status: 'complete',
      objectCount: 4,
    });

    const badSelector = await request(server)
      .get(`/api/tollgate/v1/clusters/${clusterId}/objects`)
      .query({ labelSelector: 'app in (a' })
      .set('Authorization', user);
    expect(badSelector.status).toBe(400);
    expect(badSelector.body.error.message).toContain('Invalid label selector');
  });

  it('refuses agents without a valid token and bodies that do not fit the protocol', async () => {
    const server = await start();
    const clusterId = await registerCluster(server);
    const noToken = await request(server)
      .post('/api/tollgate/v1/agent/heartbeat')
      .send({ agentVersion: '0.1.0', objectCounts: {} });
    expect(noToken.status).toBe(401);

    const userToken = await request(server)
      .post('/api/tollgate/v1/agent/heartbeat')
      .set('Authorization', user)
      .send({ agentVersion: '0.1.0', objectCounts: {} });
    expect(userToken.status).toBe(401);

    const { token } = (
      await request(server)
        .post(`/api/tollgate/v1/clusters/${clusterId}/agent-token`)
        .set('Authorization', user)
    ).body;
    const invalid = await request(server)
      .post('/api/tollgate/v1/agent/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .send({ snapshotId: 'not-a-uuid', sequence: 0, objects: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(
      /snapshotId: .*sequence: .*final: .*objects: /,
    );

    await request(server)
      .delete(`/api/tollgate/v1/clusters/${clusterId}/agent-token`)
      .set('Authorization', user);
    const revoked = await request(server)
      .post('/api/tollgate/v1/agent/heartbeat')
      .set('Authorization', `Bearer ${token}`)
      .send({ agentVersion: '0.1.0', objectCounts: {} });
    expect(revoked.status).toBe(401);
  });

  it('needs permission for token management and inventory reads', async () => {
    const server = await start(AuthorizeResult.DENY);
    for (const [method, path] of [
      ['post', '/api/tollgate/v1/clusters/x/agent-token'],
      ['delete', '/api/tollgate/v1/clusters/x/agent-token'],
      ['get', '/api/tollgate/v1/clusters/x/agent-status'],
      ['get', '/api/tollgate/v1/clusters/x/agents'],
      ['get', '/api/tollgate/v1/clusters/x/snapshots'],
      ['get', '/api/tollgate/v1/clusters/x/objects'],
      ['get', '/api/tollgate/v1/clusters/x/helm-releases'],
    ] as const) {
      const res = await request(server)
        [method](path)
        .set('Authorization', user);
      expect(res.status).toBe(403);
      const anonymous = await request(server)[method](path);
      expect(anonymous.status).toBe(401);
    }
  });
});
