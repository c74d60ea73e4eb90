import { randomUUID } from 'node:crypto';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { deployment } from '../__testUtils__/objects';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import { storePromotion } from './__testUtils__/promotions';
import type { StoredPullRequest } from './PullRequestStore';

jest.setTimeout(60_000);

function pullRequest(
  promotionId: string,
  overrides: Partial<StoredPullRequest> = {},
): StoredPullRequest {
  return {
    id: randomUUID(),
    promotionId,
    subject: 'component:default/checkout-api',
    environment: 'production',
    provider: 'github',
    repo: 'https://github.com/acme/gitops',
    baseBranch: 'main',
    headBranch: 'tollgate/promote-checkout-api-production',
    number: 7,
    url: 'https://github.com/acme/gitops/pull/7',
    state: 'open',
    headSha: 'a'.repeat(40),
    files: ['apps/checkout-api/overlays/production/kustomization.yaml'],
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:00:00.000Z',
    ...overrides,
  };
}

describe('PullRequestStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores, finds and lists pull requests on %p',
    async databaseId => {
      const db = await databases.init(databaseId);
      await migrateLatest(db);
      const stores = new TollgateStores(db);
      const objects = [deployment('checkout-api') as K8sObject];
      const promotion = await storePromotion(stores, objects, objects);
      const store = stores.pullRequests;

      const open = pullRequest(promotion.promotion_id);
      await store.insert(open);
      expect(await store.get(open.id)).toEqual(open);
      expect(
        await store.findOpen('component:default/checkout-api', 'production'),
      ).toEqual(open);
      expect(
        await store.findOpen('component:default/checkout-api', 'staging'),
      ).toBeUndefined();

      const merged: StoredPullRequest = {
        ...open,
        state: 'merged',
        mergeCommitSha: 'b'.repeat(40),
        updatedAt: '2026-12-02T11:00:00.000Z',
      };
      await store.update(merged);
      expect(await store.findByPromotion(promotion.promotion_id)).toEqual(
        merged,
      );
      expect(
        await store.findOpen('component:default/checkout-api', 'production'),
      ).toBeUndefined();

      // Webhooks name the repository as their host does.
      expect(
        await store.findByNumber('github', 7, 'github.com/acme/gitops'),
      ).toEqual([merged]);
      expect(
        await store.findByNumber('github', 7, 'github.com/acme/other'),
      ).toEqual([]);

      const staging = pullRequest(promotion.promotion_id, {
        environment: 'staging',
        number: undefined,
        provider: 'git',
        updatedAt: '2026-12-02T12:00:00.000Z',
      });
      await store.insert(staging);
      const page = await store.list({ limit: 10, offset: 0 });
      expect(page.total).toBe(2);
      expect(page.items.map(item => item.id)).toEqual([staging.id, open.id]);
      expect(
        (await store.list({ state: 'open', limit: 10, offset: 0 })).items,
      ).toEqual([staging]);
      // A conditional decision narrows the list in SQL.
      const allowed = await store.list(
        { limit: 10, offset: 0 },
        { field: 'targetEnvironment', values: ['production'] },
      );
      expect(allowed.items.map(item => item.id)).toEqual([open.id]);
    },
  );
});
