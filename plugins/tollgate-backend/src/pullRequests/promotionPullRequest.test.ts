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
import { TestGitRepo } from '../gitops/__testUtils__/gitRepos';
import { tollgatePlugin } from '../plugin';
import { storeDemoClusters } from '../services/__testUtils__/demoClusters';
import { TollgateStores } from '../stores/TollgateStores';
import { DEMO_GITOPS_DIR } from './__testUtils__/demoRepo';

jest.setTimeout(180_000);

const alice = `Bearer ${mockCredentials.user.token('user:default/alice')}`;
const bob = `Bearer ${mockCredentials.user.token('user:default/bob')}`;
const PRODUCTION = 'apps/checkout-api/overlays/production';
const BRANCH = 'tollgate/promote-checkout-api-production';

function checkoutApi(repo: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-api',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'checkout-api',
        'tollgate.io/environments':
          'staging=demo-staging/shop, production=demo-production/shop',
        'tollgate.io/gitops-repo': repo,
        'tollgate.io/gitops-path': 'apps/checkout-api/overlays/{env}',
      },
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

describe('the demo promotion, approved, as a pull request', () => {
  const databases = createTestDatabases();
  let repo: TestGitRepo;

  beforeEach(async () => {
    repo = await TestGitRepo.create();
    await repo.copyFolder(`${DEMO_GITOPS_DIR}/apps`, 'apps');
    await repo.commit('Demo GitOps layout');
  });
  afterEach(() => repo.remove());

  it('opens the pull request on approval and marks the promotion merged after the merge', async () => {
    const knex = await databases.init('SQLITE_3');
    const tasks = new Map<string, () => Promise<void>>();
    const scheduler = mockServices.scheduler.mock({
      async scheduleTask(task) {
        tasks.set(task.id, task.fn as () => Promise<void>);
      },
    });
    const { server } = await startTestBackend({
      features: [
        tollgatePlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [checkoutApi(repo.originDir)] }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.example' },
            tollgate: {
              approvals: {
                default: { requiredApprovals: 1, allowSelfApproval: false },
              },
              // As app-config.yaml: the chart label changes with every release.
              preview: {
                ignore: [
                  { kind: '*', paths: ['/metadata/labels/helm.sh~1chart'] },
                ],
              },
              gitops: { cacheDir: repo.cacheDir() },
              pullRequests: { workDir: repo.root },
            },
          },
        }),
      ],
    });
    await storeDemoClusters(new TollgateStores(knex));

    const previewed = await request(server)
      .post('/api/tollgate/v1/promotions/preview')
      .set('Authorization', alice)
      .send({
        entityRef: 'component:default/checkout-api',
        source: { environment: 'staging' },
        target: { environment: 'production' },
      });
    expect(previewed.status).toBe(201);
    const id = previewed.body.promotion_id;

    const approved = await request(server)
      .post(`/api/tollgate/v1/promotions/${id}/approve`)
      .set('Authorization', bob)
      .send({ comment: 'Ship it' });
    expect(approved.body.error?.message).toBeUndefined();
    expect(approved.status).toBe(200);

    const pullRequest = await request(server)
      .get(`/api/tollgate/v1/promotions/${id}/pull-request`)
      .set('Authorization', alice);
    expect(pullRequest.status).toBe(200);
    expect(pullRequest.body).toMatchObject({
      promotionId: id,
      provider: 'git',
      headBranch: BRANCH,
      state: 'open',
    });
    expect(pullRequest.body.files).toContain(
      `${PRODUCTION}/kustomization.yaml`,
    );

    await repo.git('fetch', '--quiet', 'origin');
    const kustomization = await repo.git(
      'show',
      `origin/${BRANCH}:${PRODUCTION}/kustomization.yaml`,
    );
    expect(kustomization).toContain(
      'newTag: 2.4.0 # moved by promotion pull requests',
    );
    expect(kustomization).toContain('count: 2');
    // Plain git has no pull request page: the commit carries the body.
    const message = await repo.git(
      'log',
      '-1',
      '--format=%B',
      `origin/${BRANCH}`,
    );
    expect(message).toContain('### Cost (USD per month)');
    expect(message).toContain('| **Delta** |');
    expect(message).toContain('### Risk');
    expect(message).toContain('### Explanation');
    const detail = await request(server)
      .get(`/api/tollgate/v1/promotions/${id}`)
      .set('Authorization', alice);
    expect(detail.body.state).toBe('pr_open');

    await repo.git(
      'merge',
      '--quiet',
      '--no-ff',
      '--no-edit',
      `origin/${BRANCH}`,
    );
    await repo.git('push', '--quiet', 'origin', 'main');
    const mergeCommit = await repo.git('rev-parse', 'HEAD');
    await tasks.get('tollgate-pull-request-poll')!();

    const merged = await request(server)
      .get(`/api/tollgate/v1/promotions/${id}`)
      .set('Authorization', alice);
    expect(merged.body.state).toBe('merged');
    expect(merged.body.pullRequest).toMatchObject({
      state: 'merged',
      mergeCommitSha: mergeCommit,
    });
  });
});
