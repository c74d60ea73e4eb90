import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { ScriptedPermissions } from '../__testUtils__/permissions';
import { tollgatePlugin } from '../plugin';
import { storeDemoClusters } from '../services/__testUtils__/demoClusters';
import { TollgateStores } from '../stores/TollgateStores';

jest.setTimeout(180_000);

const alice = `Bearer ${mockCredentials.user.token('user:default/alice')}`;
const bob = `Bearer ${mockCredentials.user.token('user:default/bob')}`;
const carol = `Bearer ${mockCredentials.user.token('user:default/carol')}`;

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

type Method = 'get' | 'post' | 'patch' | 'delete';
type Ids = { cluster: string; promotion: string; rejectable: string };

interface Endpoint {
  method: Method;
  /** As the router declares it. */
  route: string;
  /** What the caller sends when allowed, and what it then answers. */
  path: (ids: Ids) => string;
  body?: object;
  as?: string;
  allowed: number;
}

const promotionPath = (suffix: string) => (ids: Ids) =>
  `/promotions/${ids.promotion}${suffix}`;
const clusterPath = (suffix: string) => (ids: Ids) =>
  `/clusters/${ids.cluster}${suffix}`;

/**
 * Every endpoint that authorizes a Backstage caller, in an order that works
 * when all are allowed (reads, then changes, then removals).
 */
const ENDPOINTS: Endpoint[] = [
  {
    method: 'get',
    route: '/v1/clusters',
    path: () => '/clusters',
    allowed: 200,
  },
  {
    method: 'post',
    route: '/v1/clusters',
    path: () => '/clusters',
    body: {
      name: 'qa-1',
      provider: 'aws',
      region: 'eu-west-1',
      environment: 'qa',
    },
    allowed: 201,
  },
  {
    method: 'get',
    route: '/v1/clusters/:id',
    path: clusterPath(''),
    allowed: 200,
  },
  {
    method: 'patch',
    route: '/v1/clusters/:id',
    path: clusterPath(''),
    body: { region: 'eu-central-1' },
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/clusters/:id/agent-status',
    path: clusterPath('/agent-status'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/clusters/:id/agents',
    path: clusterPath('/agents'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/clusters/:id/snapshots',
    path: clusterPath('/snapshots'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/clusters/:id/objects',
    path: clusterPath('/objects'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/clusters/:id/helm-releases',
    path: clusterPath('/helm-releases'),
    allowed: 200,
  },
  {
    method: 'post',
    route: '/v1/clusters/:id/agent-token',
    path: clusterPath('/agent-token'),
    allowed: 201,
  },
  {
    method: 'delete',
    route: '/v1/clusters/:id/agent-token',
    path: clusterPath('/agent-token'),
    allowed: 204,
  },
  {
    method: 'get',
    route: '/v1/promotions',
    path: () => '/promotions',
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id',
    path: promotionPath(''),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id/diff',
    path: promotionPath('/diff'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id/cost',
    path: promotionPath('/cost'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id/risk',
    path: promotionPath('/risk'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id/explanation',
    path: promotionPath('/explanation'),
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id/pull-request',
    path: promotionPath('/pull-request'),
    // Allowed, and answers that no pull request was opened yet.
    allowed: 404,
  },
  {
    method: 'get',
    route: '/v1/promotions/:id/change',
    path: promotionPath('/change'),
    // Allowed; the entity names no GitOps repository here, a 400 that says so.
    allowed: 400,
  },
  {
    method: 'get',
    route: '/v1/git/pull-requests',
    path: () => '/git/pull-requests',
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/fleet/summary',
    path: () => '/fleet/summary',
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/audit/logs',
    path: () => '/audit/logs',
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/audit/export',
    path: () => '/audit/export',
    allowed: 200,
  },
  {
    method: 'get',
    route: '/v1/audit/verify',
    path: () => '/audit/verify',
    allowed: 200,
  },
  {
    method: 'post',
    route: '/v1/promotions/:id/reject',
    path: ids => `/promotions/${ids.rejectable}/reject`,
    body: { comment: 'Not this week' },
    as: bob,
    allowed: 200,
  },
  {
    method: 'patch',
    route: '/v1/promotions/:id',
    path: promotionPath(''),
    body: { action: 'approve' },
    as: bob,
    allowed: 200,
  },
  {
    method: 'post',
    route: '/v1/promotions/:id/approve',
    path: promotionPath('/approve'),
    body: {},
    as: carol,
    // The second of two approvals: approved, but no pull request can be
    // opened, as this test has no GitOps repository.
    allowed: 503,
  },
  {
    // Approved, so its pull request may be retried; it fails again.
    method: 'post',
    route: '/v1/promotions/:id/pull-request',
    path: promotionPath('/pull-request'),
    body: {},
    as: carol,
    allowed: 503,
  },
  {
    // Last but one: a new preview supersedes the one approved above.
    method: 'post',
    route: '/v1/promotions/preview',
    path: () => '/promotions/preview',
    body: {
      entityRef: 'component:default/checkout-api',
      source: { environment: 'staging' },
      target: { environment: 'production' },
    },
    allowed: 201,
  },
  {
    method: 'delete',
    route: '/v1/clusters/:id',
    path: clusterPath(''),
    allowed: 204,
  },
];

/** Authenticated otherwise: agent tokens, Git host signatures. */
const OWN_AUTHENTICATION = [
  'post /v1/agent/heartbeat',
  'post /v1/agent/snapshots',
  'post /v1/agent/deltas',
  'post /v1/git/webhooks/github',
  'post /v1/git/webhooks/gitlab',
];

/** `method route` of every route the plugin's route files declare. */
function declaredRoutes(): string[] {
  const files = [
    ...readdirSync(__dirname).map(file => join(__dirname, file)),
    join(__dirname, '../pullRequests/routes.ts'),
  ].filter(file => /\.ts$/.test(file) && !/\.test\.ts$/.test(file));
  const webhookPath = '/v1/git/webhooks';
  return files.flatMap(file =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /router\.(get|post|patch|put|delete)\(\s*['`]([^'`]+)['`]/g,
      ),
    ].map(
      ([, method, route]) =>
        `${method} ${route.replace('${WEBHOOK_PATH}', webhookPath)}`,
    ),
  );
}

describe('every Tollgate endpoint', () => {
  const databases = createTestDatabases();

  it('is in this test: authorized here, or authenticated on its own', () => {
    const covered = [
      ...ENDPOINTS.map(e => `${e.method} ${e.route}`),
      ...OWN_AUTHENTICATION,
    ].sort();
    expect(declaredRoutes().sort()).toEqual(covered);
  });

  it.each(databases.eachSupportedId())(
    'answers 401 without credentials, 403 when denied and succeeds when allowed on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const permissions = new ScriptedPermissions();
      const { server } = await startTestBackend({
        features: [
          tollgatePlugin,
          permissions.factory(),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              tollgate: { approvals: { default: { requiredApprovals: 2 } } },
            },
          }),
          catalogServiceMock.factory({ entities: [checkoutApi] }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      const clusters = await storeDemoClusters(new TollgateStores(knex));
      const call = (endpoint: Endpoint, ids: Ids, auth?: string) => {
        const req = request(server)[endpoint.method](
          `/api/tollgate/v1${endpoint.path(ids)}`,
        );
        if (auth) req.set('Authorization', auth);
        return endpoint.body ? req.send(endpoint.body) : req;
      };
      const preview = (source: string, target: string) =>
        request(server)
          .post('/api/tollgate/v1/promotions/preview')
          .set('Authorization', alice)
          .send({
            entityRef: 'component:default/checkout-api',
            source: { environment: source },
            target: { environment: target },
          });
      const ids: Ids = {
        cluster: clusters.staging.id,
        promotion: (await preview('staging', 'production')).body.promotion_id,
        rejectable: (await preview('production', 'staging')).body.promotion_id,
      };

      permissions.reset(AuthorizeResult.DENY);
      for (const endpoint of ENDPOINTS) {
        const denied = await call(endpoint, ids, endpoint.as ?? alice);
        expect([endpoint.route, denied.status]).toEqual([endpoint.route, 403]);
        const anonymous = await call(endpoint, ids);
        expect([endpoint.route, anonymous.status]).toEqual([
          endpoint.route,
          401,
        ]);
      }

      permissions.reset(AuthorizeResult.ALLOW);
      for (const endpoint of ENDPOINTS) {
        const allowed = await call(endpoint, ids, endpoint.as ?? alice);
        expect([endpoint.method, endpoint.route, allowed.status]).toEqual([
          endpoint.method,
          endpoint.route,
          endpoint.allowed,
        ]);
      }
    },
  );
});
