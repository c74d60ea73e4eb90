import { randomUUID } from 'node:crypto';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { tollgatePlugin } from '../plugin';
import { demoClusterObjects } from '../services/__testUtils__/demoClusters';

jest.setTimeout(60_000);

const GUEST = 'user:default/guest';
const SRE_LEAD = 'user:default/sre-lead';
const DAVE = 'user:default/dave';
const bearer = (ref: string) => `Bearer ${mockCredentials.user.token(ref)}`;

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

/** sre-lead belongs to group:default/sre, as the catalog would say. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const groups = ref === SRE_LEAD ? ['group:default/sre'] : [];
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] };
    },
  }),
});

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/** Allows everything but approving. */
const noApprovePermissionFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = async (requests: Array<{ permission: { name: string } }>) =>
      requests.map(({ permission }) => ({
        result:
          permission.name === 'tollgate.promotion.approve'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })) as any;
    return { authorize: decide, authorizeConditional: decide };
  },
});

async function start(
  result:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY
    | 'no-approve' = AuthorizeResult.ALLOW,
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      tollgatePlugin,
      catalogServiceMock.factory({ entities: [checkoutApi] }),
      result === 'no-approve'
        ? noApprovePermissionFactory
        : mockServices.permissions.factory({ result }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfoFactory,
      mockServices.rootConfig.factory({
        data: {
          tollgate: {
            clusters: ['staging', 'production'].map(environment => ({
              name: `demo-${environment}`,
              provider: 'aws',
              region: 'eu-west-1',
              environment,
            })),
            approvals: {
              default: { requiredApprovals: 1 },
              environments: {
                production: {
                  requiredApprovals: 1,
                  allowSelfApproval: false,
                  approvers: ['group:default/sre'],
                },
              },
            },
          },
        },
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
      .set('Authorization', bearer(GUEST))
  ).body;
  for (const environment of ['staging', 'production'] as const) {
    const cluster = items.find(
      (c: { name: string }) => c.name === `demo-${environment}`,
    );
    const { token } = (
      await request(server)
        .post(`/api/tollgate/v1/clusters/${cluster.id}/agent-token`)
        .set('Authorization', bearer(GUEST))
    ).body;
    await request(server)
      .post('/api/tollgate/v1/agent/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .send({
        snapshotId: randomUUID(),
        sequence: 1,
        final: true,
        objects: demoClusterObjects(environment),
      })
      .expect(200);
  }
}

async function previewAsGuest(server: Server): Promise<string> {
  const created = await request(server)
    .post('/api/tollgate/v1/promotions/preview')
    .set('Authorization', bearer(GUEST))
    .send({
      entityRef: 'component:default/checkout-api',
      source: { environment: 'staging' },
      target: { environment: 'production' },
    });
  expect(created.status).toBe(201);
  return created.body.promotion_id;
}

const as = (server: Server, user: string) => ({
  get: (id: string) =>
    request(server)
      .get(`/api/tollgate/v1/promotions/${id}`)
      .set('Authorization', bearer(user)),
  approve: (id: string, body: object = {}) =>
    request(server)
      .post(`/api/tollgate/v1/promotions/${id}/approve`)
      .set('Authorization', bearer(user))
      .send(body),
  reject: (id: string, body: object) =>
    request(server)
      .post(`/api/tollgate/v1/promotions/${id}/reject`)
      .set('Authorization', bearer(user))
      .send(body),
  retryPullRequest: (id: string) =>
    request(server)
      .post(`/api/tollgate/v1/promotions/${id}/pull-request`)
      .set('Authorization', bearer(user)),
  patch: (id: string, body: object) =>
    request(server)
      .patch(`/api/tollgate/v1/promotions/${id}`)
      .set('Authorization', bearer(user))
      .send(body),
});

describe('promotion approval endpoints', () => {
  it('lets an approver, not the author, approve the guest’s preview', async () => {
    const server = await start();
    await connectDemoAgents(server);
    const id = await previewAsGuest(server);
    const guest = as(server, GUEST);
    const sre = as(server, SRE_LEAD);

    const seenByGuest = (await guest.get(id)).body;
    expect(seenByGuest).toMatchObject({
      state: 'previewed',
      approvals: [],
      history: [{ from: null, to: 'previewed', actor: GUEST }],
      approval: { required: 1, received: 0, remaining: 1, canApprove: false },
    });
    expect(seenByGuest).not.toHaveProperty('pullRequest');

    const own = await guest.approve(id, { comment: 'ship it' });
    expect(own.status).toBe(403);
    expect(own.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'You previewed this promotion, and environment production does not allow approving your own; You are not an approver for environment production; approvers are group:default/sre',
    });
    const outsider = await as(server, DAVE).approve(id);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toBe(
      'You are not an approver for environment production; approvers are group:default/sre',
    );

    expect((await sre.get(id)).body.approval).toEqual({
      required: 1,
      received: 0,
      remaining: 1,
      canApprove: true,
      reasons: [],
    });
    // The entity names no GitOps repository, so no pull request can be
    // opened: 503, and the approval is kept.
    const approved = await sre.approve(id, { comment: 'Reviewed the cost' });
    expect(approved.status).toBe(503);
    expect(approved.body.error.message).toMatch(
      /^Promotion \S+ is approved \(the approval is kept\), but its pull request could not be opened: \S/,
    );
    const after = (await guest.get(id)).body;
    expect(after).toMatchObject({
      state: 'approved',
      approvals: [
        { actor: SRE_LEAD, decision: 'approve', comment: 'Reviewed the cost' },
      ],
      pullRequestError: { message: expect.any(String) },
    });
    expect(after.history.map((t: { to: string }) => t.to)).toEqual([
      'previewed',
      'approved',
    ]);
    // A retry tries again, and is told again why it failed.
    const retried = await sre.retryPullRequest(id);
    expect(retried.status).toBe(503);
    expect(retried.body.error.message).toMatch(
      /^Promotion \S+ is approved \(the approval is kept\), but its pull request could not be opened: \S/,
    );
    const outsiderRetry = await as(server, DAVE).retryPullRequest(id);
    expect(outsiderRetry.status).toBe(403);
    expect(outsiderRetry.body.error.message).toMatch(
      /^Only the author or an approver of environment production may open the pull request of this promotion/,
    );
    const again = await sre.approve(id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(
      'The promotion is approved; only a previewed promotion can be approved',
    );
  });

  it('rejects through POST and the PATCH alias, and validates the bodies', async () => {
    const server = await start();
    await connectDemoAgents(server);
    const sre = as(server, SRE_LEAD);
    const first = await previewAsGuest(server);

    const noComment = await sre.reject(first, {});
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.message).toBe(
      'Invalid rejection: comment: A rejection needs a comment saying why',
    );
    const badAction = await sre.patch(first, { action: 'merge' });
    expect(badAction.status).toBe(400);
    expect(badAction.body.error.message).toMatch(
      /^Invalid promotion decision: action: /,
    );
    expect((await sre.approve(first, { extra: 1 })).status).toBe(400);

    const rejected = await sre.reject(first, { comment: 'Not this week' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      approvals: [{ actor: SRE_LEAD, decision: 'reject' }],
    });

    // A new preview leaves a rejected one as it is; PATCH is an alias.
    const second = await previewAsGuest(server);
    expect((await sre.get(first)).body.state).toBe('rejected');
    const patched = await sre.patch(second, {
      action: 'reject',
      comment: 'no',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.state).toBe('rejected');

    // A third preview supersedes an older one still open.
    const third = await previewAsGuest(server);
    const fourth = await previewAsGuest(server);
    expect((await sre.get(third)).body.state).toBe('superseded');
    const approvedByPatch = await sre.patch(fourth, { action: 'approve' });
    expect(approvedByPatch.status).toBe(503);
    expect((await sre.get(fourth)).body.state).toBe('approved');
    expect((await sre.get(`${randomUUID()}`)).status).toBe(404);
    expect((await sre.approve(randomUUID())).status).toBe(404);
  });

  it('tells a user without the approve permission that they cannot approve', async () => {
    const server = await start('no-approve');
    await connectDemoAgents(server);
    const id = await previewAsGuest(server);
    const sre = as(server, SRE_LEAD);
    expect((await sre.get(id)).body.approval).toMatchObject({
      canApprove: false,
      reasons: [
        'You do not have the tollgate.promotion.approve permission for environment production',
      ],
    });
    const refused = await sre.approve(id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'Not allowed: tollgate.promotion.approve',
    );
  });

  it('needs credentials and the approve permission', async () => {
    const server = await start(AuthorizeResult.DENY);
    const calls = [
      ['post', '/api/tollgate/v1/promotions/x/approve'],
      ['post', '/api/tollgate/v1/promotions/x/reject'],
      ['patch', '/api/tollgate/v1/promotions/x'],
    ] as const;
    for (const [method, path] of calls) {
      const denied = await request(server)
        [method](path)
        .set('Authorization', bearer(SRE_LEAD))
        .send({ comment: 'c' });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'Not allowed: tollgate.promotion.approve',
      );
      const anonymous = await request(server)[method](path).send({});
      expect(anonymous.status).toBe(401);
    }
  });
});
