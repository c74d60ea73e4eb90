import { randomUUID } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { tollgatePlugin } from '../plugin';
import { demoClusterObjects } from '../services/__testUtils__/demoClusters';

jest.setTimeout(60_000);

const user = `Bearer ${mockCredentials.user.token('user:default/alice')}`;

const demoClusters = ['staging', 'production'].map(environment => ({
  name: `demo-${environment}`,
  provider: 'aws',
  region: 'eu-west-1',
  environment,
}));

async function start(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      tollgatePlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.permissions.factory({ result }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: { tollgate: { clusters: demoClusters } },
      }),
    ],
  });
  return server;
}

describe('GET /v1/fleet/summary', () => {
  it('summarizes the fleet once an agent has pushed its snapshot', async () => {
    const server = await start();
    const { items } = (
      await request(server)
        .get('/api/tollgate/v1/clusters')
        .set('Authorization', user)
    ).body;
    const production = items.find(
      (c: { name: string }) => c.name === 'demo-production',
    );
    const { token } = (
      await request(server)
        .post(`/api/tollgate/v1/clusters/${production.id}/agent-token`)
        .set('Authorization', user)
    ).body;
    await request(server)
      .post('/api/tollgate/v1/agent/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .send({
        snapshotId: randomUUID(),
        sequence: 1,
        final: true,
        objects: demoClusterObjects('production'),
      })
      .expect(200);

    const response = await request(server)
      .get('/api/tollgate/v1/fleet/summary')
      .set('Authorization', user);
    expect(response.status).toBe(200);
    expect(response.body.totals).toMatchObject({ total: 2 });
    const byName = Object.fromEntries(
      response.body.clusters.map((c: { name: string }) => [c.name, c]),
    );
    // A snapshot without a heartbeat: the agent has not said hello yet.
    expect(byName['demo-staging']).toMatchObject({
      health: 'offline',
      agentStatus: 'never-connected',
      workloads: 0,
      monthlyCost: null,
    });
    expect(byName['demo-production'].nodes.total).toBeGreaterThan(0);
    expect(byName['demo-production'].workloads).toBeGreaterThan(0);
    expect(byName['demo-production'].monthlyCost).toBeGreaterThan(0);
  });

  it('refuses callers without credentials or permission', async () => {
    const allowed = await start();
    const anonymous = await request(allowed).get(
      '/api/tollgate/v1/fleet/summary',
    );
    expect(anonymous.status).toBe(401);
    const denied = await start(AuthorizeResult.DENY);
    const forbidden = await request(denied)
      .get('/api/tollgate/v1/fleet/summary')
      .set('Authorization', user);
    expect(forbidden.status).toBe(403);
  });
});
