import { randomUUID } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startChatServer } from '../explainer/__testUtils__/chatServer';
import { tollgatePlugin } from '../plugin';
import { demoClusterObjects } from '../services/__testUtils__/demoClusters';

jest.setTimeout(60_000);

const user = `Bearer ${mockCredentials.user.token('user:default/alice')}`;

const checkoutApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'checkout-api',
      'tollgate.io/environments':
        'staging=demo-staging/shop, production=demo-production/shop',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};
const unannotated: Entity = {
  ...checkoutApi,
  metadata: { name: 'legacy-billing', namespace: 'default' },
};

const demoClusters = ['staging', 'production'].map(environment => ({
  name: `demo-${environment}`,
  provider: 'aws',
  region: 'eu-west-1',
  environment,
}));

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

async function start(
  options: {
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    config?: Record<string, unknown>;
  } = {},
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      tollgatePlugin,
      catalogServiceMock.factory({ entities: [checkoutApi, unannotated] }),
      mockServices.permissions.factory({
        result: options.result ?? AuthorizeResult.ALLOW,
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: { tollgate: { clusters: demoClusters, ...options.config } },
      }),
    ],
  });
  return server;
}

/** Pushes examples/clusters/ through the agent API, as the demo's agents do. */
async function connectDemoAgents(server: Server) {
  const { items } = (
    await request(server)
      .get('/api/tollgate/v1/clusters')
      .set('Authorization', user)
  ).body;
  for (const environment of ['staging', 'production'] as const) {
    const cluster = items.find(
      (c: { name: string }) => c.name === `demo-${environment}`,
    );
    const { token } = (
      await request(server)
        .post(`/api/tollgate/v1/clusters/${cluster.id}/agent-token`)
        .set('Authorization', user)
    ).body;
    const pushed = await request(server)
      .post('/api/tollgate/v1/agent/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .send({
        snapshotId: randomUUID(),
        sequence: 1,
        final: true,
        objects: demoClusterObjects(environment),
      });
    expect(pushed.body).toMatchObject({ status: 'applied', rejected: [] });
  }
}

const preview = (server: Server, body: unknown) =>
  request(server)
    .post('/api/tollgate/v1/promotions/preview')
    .set('Authorization', user)
    .send(body as object);

const stagingToProduction = {
  entityRef: 'component:default/checkout-api',
  source: { environment: 'staging' },
  target: { environment: 'production' },
};

describe('promotion endpoints', () => {
  it('previews the demo promotion and serves it back, whole and in parts', async () => {
    const server = await start();
    await connectDemoAgents(server);

    const created = await preview(server, stagingToProduction);
    expect(created.status).toBe(201);
    const body = created.body;
    expect(Object.keys(body).sort()).toEqual(
      [
        'approval',
        'approvals',
        'created_at',
        'created_by',
        'diff',
        'entity_ref',
        'estimated_cost',
        'explanation',
        'history',
        'inputs_fingerprint',
        'promotion_id',
        'risk_level',
        'risk_score',
        'risks',
        'source',
        'state',
        'summary',
        'target',
        'workload',
      ].sort(),
    );
    expect(body).toMatchObject({
      created_by: 'user:default/alice',
      risk_level: 'high',
      estimated_cost: {
        currency: 'USD',
        text: '+$47.08 ($32.24 -> $79.32)',
      },
      source: {
        type: 'cluster',
        cluster_name: 'demo-staging',
        namespace: 'shop',
      },
    });
    expect(body.explanation.text).toContain('$47.08');

    const id = body.promotion_id;
    const get = (path: string) =>
      request(server)
        .get(`/api/tollgate/v1/promotions${path}`)
        .set('Authorization', user);
    expect((await get(`/${id}`)).body).toEqual(body);
    expect((await get(`/${id}/diff`)).body).toEqual(body.diff);
    expect((await get(`/${id}/cost`)).body).toEqual(body.estimated_cost);
    expect((await get(`/${id}/risk`)).body).toEqual({
      risk_level: 'high',
      risk_score: body.risk_score,
      risks: body.risks,
    });
    expect((await get(`/${id}/explanation`)).body).toEqual(body.explanation);

    const listed = await get('?environment=production&riskLevel=high&limit=5');
    expect(listed.body).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(listed.body.items[0]).not.toHaveProperty('diff');
    expect(listed.body.items[0].estimated_cost).toEqual({
      baseline: body.estimated_cost.baseline,
      projected: body.estimated_cost.projected,
      delta: body.estimated_cost.delta,
      currency: 'USD',
    });
    expect((await get('?createdBy=user:default/bob')).body.total).toBe(0);

    for (const path of ['', '/diff', '/cost', '/risk', '/explanation']) {
      const missing = await get(`/${randomUUID()}${path}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.name).toBe('NotFoundError');
    }
  });

  it('answers 400 or 404 with what to fix', async () => {
    const server = await start();
    await connectDemoAgents(server);

    const badBody = await preview(server, {
      source: { cluster: 'demo-staging' },
      target: { environment: 'staging', git: { ref: 'main' } },
    });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.message).toBe(
      'Invalid promotion preview: source.namespace: Namespace is required with cluster; target: Give exactly one of environment, cluster (with namespace) or git; target.git: Give git.environment or git.path; entityRef: Give either entityRef or workload',
    );

    const bareEntity = await preview(server, {
      ...stagingToProduction,
      entityRef: 'component:default/legacy-billing',
    });
    expect(bareEntity.status).toBe(400);
    expect(bareEntity.body.error.message).toContain(
      'Add the backstage.io/kubernetes-id annotation',
    );

    const undeclared = await preview(server, {
      ...stagingToProduction,
      target: { environment: 'qa' },
    });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error.message).toContain(
      'declared: staging, production',
    );

    const noWorkload = await preview(server, {
      ...stagingToProduction,
      target: { cluster: 'demo-production', namespace: 'monitoring' },
    });
    expect(noWorkload.status).toBe(404);
    expect(noWorkload.body.error.message).toContain(
      "in namespace 'monitoring' of cluster 'demo-production' (the target)",
    );

    const badQuery = await request(server)
      .get('/api/tollgate/v1/promotions?limit=1000&riskLevel=severe')
      .set('Authorization', user);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toMatch(/riskLevel: .*limit: /);
  });

  it('needs credentials and permission on every promotion endpoint', async () => {
    const server = await start({ result: AuthorizeResult.DENY });
    const calls = [
      ['post', '/api/tollgate/v1/promotions/preview'],
      ['get', '/api/tollgate/v1/promotions'],
      ['get', '/api/tollgate/v1/promotions/x'],
      ['get', '/api/tollgate/v1/promotions/x/diff'],
      ['get', '/api/tollgate/v1/promotions/x/cost'],
      ['get', '/api/tollgate/v1/promotions/x/risk'],
      ['get', '/api/tollgate/v1/promotions/x/explanation'],
    ] as const;
    for (const [method, path] of calls) {
      const denied = await request(server)
        [method](path)
        .set('Authorization', user);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(
        /^Not allowed: tollgate\.promotion\.(read|create)$/,
      );
      const anonymous = await request(server)[method](path);
      expect(anonymous.status).toBe(401);
    }
  });

  it('explains with the configured LLM endpoint', async () => {
    const chat = await startChatServer(() => ({
      content:
        'Promoting NAME_A costs +$47.08 more per month ($32.24 -> $79.32).',
    }));
    try {
      const server = await start({
        config: {
          explainer: {
            llm: { baseUrl: chat.baseUrl, model: 'llama3.1', timeoutMs: 5000 },
          },
        },
      });
      await connectDemoAgents(server);
      const created = await preview(server, stagingToProduction);
      expect(created.body.explanation).toMatchObject({
        generator: 'llm',
        model: 'llama3.1',
        numbers_check: 'passed',
        text: 'Promoting checkout-api costs +$47.08 more per month ($32.24 -> $79.32).',
      });
      expect(chat.requests).toHaveLength(1);
    } finally {
      await chat.close();
    }
  });
});
