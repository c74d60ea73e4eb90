import { randomUUID } from 'node:crypto';
import {
  computePreview,
  type K8sObject,
} from '@tollgate/plugin-tollgate-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { deployment, namespace, node } from '../__testUtils__/objects';
import type { NewPromotion } from './PromotionStore';
import { migrateLatest, TollgateStores } from './TollgateStores';
import { clusterSide } from '../__testUtils__/promotions';

jest.setTimeout(60_000);

const at = (minute: number) =>
  new Date(`2026-12-02T10:${String(minute).padStart(2, '0')}:00.000Z`);

/** A real engine result: the image changes and replicas drop to 1. */
function newPromotion(
  overrides: Partial<Omit<NewPromotion, 'preview'>> = {},
): NewPromotion {
  const source = deployment('api', 'ghcr.io/acme/api:2.0.0') as any;
  source.spec.replicas = 1;
  const preview = computePreview({
    source: { objects: [source] },
    target: { objects: [deployment('api')] },
    context: { nodes: [node('ip-10-0-1-1')] },
  });
  return {
    id: randomUUID(),
    entityRef: 'component:default/api',
    workload: { name: 'api', label_selector: null },
    source: clusterSide('staging'),
    target: clusterSide('production'),
    inputsFingerprint: 'a'.repeat(64),
    createdBy: 'user:default/alice',
    preview,
    ...overrides,
  };
}

describe('PromotionStore', () => {
  const databases = createTestDatabases();

  async function storesFor(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    return { db, stores: new TollgateStores(db) };
  }

  it.each(databases.eachSupportedId())(
    'stores a promotion and reads back its diff, cost and findings exactly on %p',
    async databaseId => {
      const { stores } = await storesFor(databaseId);
      const promotion = newPromotion();
      const { preview } = promotion;
      await stores.promotions.insert(promotion, at(0));

      expect(await stores.promotions.get(promotion.id)).toEqual({
        promotion_id: promotion.id,
        entity_ref: 'component:default/api',
        workload: { name: 'api', label_selector: null },
        state: 'previewed',
        source: promotion.source,
        target: promotion.target,
        risk_level: preview.risk.riskLevel,
        risk_score: preview.risk.score,
        estimated_cost: {
          baseline: preview.cost.baseline,
          projected: preview.cost.projected,
          delta: preview.cost.delta,
          currency: 'USD',
        },
        summary: preview.summary,
        inputs_fingerprint: 'a'.repeat(64),
        created_at: at(0).toISOString(),
        created_by: 'user:default/alice',
      });
      expect(await stores.promotions.getDiff(promotion.id)).toEqual(
        preview.diff,
      );
      const cost = await stores.promotions.getCost(promotion.id);
      expect(cost).toMatchObject({
        baseline: preview.cost.baseline,
        projected: preview.cost.projected,
        delta: preview.cost.delta,
        delta_percent: preview.cost.deltaPercent,
        text: preview.cost.text,
        lines: preview.cost.lines,
        hours_per_month: 730,
      });
      expect(preview.risk.findings.length).toBeGreaterThan(0);
      expect(await stores.promotions.getRisks(promotion.id)).toEqual(
        preview.risk.findings,
      );
      expect(await stores.promotions.get(randomUUID())).toBeUndefined();
      expect(await stores.promotions.getDiff(randomUUID())).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'filters and pages newest first, with the total on %p',
    async databaseId => {
      const { stores } = await storesFor(databaseId);
      const ids: string[] = [];
      for (let minute = 0; minute < 5; minute++) {
        const promotion = newPromotion({
          entityRef: minute < 3 ? 'component:default/api' : null,
          createdBy: minute % 2 ? 'user:default/bob' : 'user:default/alice',
          target: clusterSide(minute === 4 ? 'qa' : 'production'),
        });
        ids.push(promotion.id);
        await stores.promotions.insert(promotion, at(minute));
      }
      const page = { limit: 2, offset: 0 };
      const all = await stores.promotions.list({}, page);
      expect(all.total).toBe(5);
      expect(all.items.map(p => p.promotion_id)).toEqual([ids[4], ids[3]]);
      const next = await stores.promotions.list({}, { limit: 2, offset: 4 });
      expect(next.items.map(p => p.promotion_id)).toEqual([ids[0]]);

      const count = async (filter: object) =>
        (await stores.promotions.list(filter, { limit: 100, offset: 0 })).total;
      expect(await count({ entityRef: 'component:default/api' })).toBe(3);
      expect(await count({ createdBy: 'user:default/bob' })).toBe(2);
      expect(await count({ environment: 'qa' })).toBe(1);
      expect(await count({ environment: 'staging' })).toBe(5);
      expect(await count({ state: 'previewed', riskLevel: 'critical' })).toBe(
        0,
      );
      const level = all.items[0].risk_level;
      expect(await count({ riskLevel: level })).toBe(5);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps explanations per promotion and finds verified LLM answers by facts on %p',
    async databaseId => {
      const { stores } = await storesFor(databaseId);
      const promotion = newPromotion();
      await stores.promotions.insert(promotion, at(0));
      const base = {
        text: 'The image changes.',
        generator: 'llm' as const,
        provider: 'openai-compatible',
        model: 'gpt-test',
        numbers_check: 'failed' as const,
        fallback_reason: 'numbers not in the facts: 9,999',
        facts_hash: 'b'.repeat(64),
        cached: false,
      };
      await stores.explanations.insert(promotion.id, base, at(1));
      expect(
        await stores.explanations.findVerifiedAnswer(
          base.facts_hash,
          'gpt-test',
        ),
      ).toBeUndefined();
      await stores.explanations.insert(
        promotion.id,
        { ...base, numbers_check: 'passed', fallback_reason: null },
        at(2),
      );
      const verified = await stores.explanations.findVerifiedAnswer(
        base.facts_hash,
        'gpt-test',
      );
      expect(verified).toMatchObject({
        numbers_check: 'passed',
        created_at: at(2).toISOString(),
        cached: false,
      });
      expect(
        await stores.explanations.findVerifiedAnswer(base.facts_hash, 'other'),
      ).toBeUndefined();
      expect(await stores.explanations.latestFor(promotion.id)).toEqual(
        verified,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'writes nothing of a promotion whose transaction fails on %p',
    async databaseId => {
      const { db, stores } = await storesFor(databaseId);
      const promotion = newPromotion();
      await expect(
        stores.transaction(async tx => {
          await tx.promotions.insert(promotion, at(0));
          throw new Error('audit failed');
        }),
      ).rejects.toThrow('audit failed');
      for (const table of [
        'workload_promotions',
        'workload_diffs',
        'promotion_costs',
        'promotion_risks',
      ]) {
        const [{ n }] = await db(table).count({ n: '*' });
        expect(Number(n)).toBe(0);
      }
    },
  );
});

describe('PreviewInputStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reads only live objects of the asked kinds and namespaces on %p',
    async databaseId => {
      const db = await databases.init(databaseId);
      await migrateLatest(db);
      const stores = new TollgateStores(db);
      const cluster = await stores.clusters.insert(
        {
          id: randomUUID(),
          name: 'stg',
          displayName: 'stg',
          provider: 'aws',
          region: 'eu-west-1',
          environment: 'staging',
          metadata: {},
          createdBy: 'user:default/admin',
        },
        at(0),
      );
      const pod = (name: string, ns: string): K8sObject => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns },
        spec: { nodeName: 'ip-10-0-1-1', containers: [] },
      });
      const objects = [
        deployment('api'),
        deployment('other', 'x', 'elsewhere'),
        namespace('shop'),
        node('ip-10-0-1-1'),
        pod('api-1', 'shop'),
        pod('db-1', 'data'),
      ] as K8sObject[];
      const snapshotId = randomUUID();
      await stores.objects.startSnapshot(cluster.id, snapshotId, at(0));
      await stores.objects.upsert(
        cluster.id,
        objects.map(object => ({ object: object as any, hash: 'h' })),
        snapshotId,
        at(0),
      );
      await stores.objects.completeSnapshot(snapshotId, at(1));

      const live = await stores.previewInputs.listLive(cluster.id, [
        { namespace: 'shop', kinds: ['Deployment', 'Service'] },
        { namespace: '', kinds: ['Node'] },
      ]);
      expect(
        live.map(o => `${o.object.kind}/${o.object.metadata.name}`),
      ).toEqual(['Deployment/api', 'Node/ip-10-0-1-1']);
      expect(live[0].lastSeenAt).toBe(at(0).toISOString());
      expect(
        (await stores.previewInputs.listPods(cluster.id))
          .map(p => p.metadata.name)
          .sort(),
      ).toEqual(['api-1', 'db-1']);
      expect(
        await stores.previewInputs.latestCompleteSnapshotId(cluster.id),
      ).toBe(snapshotId);

      const before = await stores.previewInputs.podSetMarker(cluster.id);
      expect(before).toEqual({
        count: 2,
        lastSeenAt: at(0).toISOString(),
        lastDeletedAt: null,
      });
      await stores.objects.markDeleted(
        cluster.id,
        [{ kind: 'Pod', namespace: 'data', name: 'db-1' }],
        at(5),
      );
      expect(await stores.previewInputs.podSetMarker(cluster.id)).toEqual({
        count: 1,
        lastSeenAt: at(5).toISOString(),
        lastDeletedAt: at(5).toISOString(),
      });
      expect(await stores.previewInputs.listPods(cluster.id)).toHaveLength(1);
    },
  );
});
