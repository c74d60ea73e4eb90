import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  selectWorkloadObjects,
  type K8sObject,
} from '@tollgate/plugin-tollgate-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { ExplanationService } from '../explainer';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import {
  demoClusterObjects,
  storeDemoClusters,
} from './__testUtils__/demoClusters';
import {
  MemoryGitManifests,
  type MemoryFolder,
} from './__testUtils__/memoryGit';
import { AuditService } from './AuditService';
import { PreviewFreshness } from './PreviewFreshness';
import { PromotionService } from './PromotionService';

jest.setTimeout(60_000);

const TOKEN_REPO =
  'https://x-access-token:ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/private-gitops';
const caller = {
  context: { actor: 'user:default/alice', requestId: 'req-1' },
  credentials: mockCredentials.user('user:default/alice'),
};
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

describe('PreviewFreshness', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'notices a moved Git ref and changed cluster objects, reading private repositories with their token, on %p',
    async databaseId => {
      const db = await databases.init(databaseId);
      await migrateLatest(db);
      const stores = new TollgateStores(db);
      const clusters = await storeDemoClusters(stores);
      const staging: MemoryFolder = {
        repo: TOKEN_REPO,
        ref: 'main',
        path: 'checkout',
        commit: 'a'.repeat(40),
        objects: selectWorkloadObjects(
          demoClusterObjects('staging') as K8sObject[],
          { name: 'checkout-api' },
        ),
      };
      const git = new MemoryGitManifests([staging]);
      const promotions = new PromotionService({
        stores,
        audit: new AuditService(),
        catalog: catalogServiceMock({ entities: [checkoutApi] }),
        explainer: new ExplanationService(stores),
        previewOptions: {},
        git,
        allowedGitRepos: [TOKEN_REPO],
      });
      const preview = await promotions.preview(
        {
          entityRef: 'component:default/checkout-api',
          source: { git: { ref: 'main', path: 'checkout', repo: TOKEN_REPO } },
          target: { environment: 'production' },
        },
        caller,
      );
      const freshness = new PreviewFreshness(stores, git, [TOKEN_REPO]);
      expect(await freshness.changes(preview)).toEqual([]);
      expect(git.requests.at(-1)?.repo).toBe(TOKEN_REPO);

      // main moves, with the same objects: still a different input.
      staging.commit = 'b'.repeat(40);
      expect(await freshness.changes(preview)).toEqual([
        "the source's ref main moved from aaaaaaaaaaaa to bbbbbbbbbbbb",
      ]);
      staging.commit = 'a'.repeat(40);

      const [deployment] = await stores.objects.list(clusters.production.id, {
        kind: 'Deployment',
        namespace: 'shop',
      });
      const changed = structuredClone(deployment.object) as any;
      changed.spec.template.spec.containers[0].image = 'nginx:latest';
      await stores.objects.upsert(
        clusters.production.id,
        [{ object: changed, hash: 'changed' }],
        'delta',
        new Date('2026-12-02T13:00:00.000Z'),
      );
      staging.path = 'elsewhere';
      const changes = await freshness.changes(preview);
      expect(changes).toEqual([
        "the source's checkout at main could not be read again: Path checkout does not exist at main in https://github.com/acme/private-gitops",
        "the target's objects in demo-production/shop changed (last reported 2026-12-02T13:00:00.000Z)",
      ]);
      expect(JSON.stringify(changes)).not.toContain('ghp_');
    },
  );
});
