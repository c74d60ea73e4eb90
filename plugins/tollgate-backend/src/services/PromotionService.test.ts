import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEFAULT_RATES,
  HOURS_PER_MONTH,
  INSTANCE_PRICES,
  LOAD_BALANCER_PRICES,
  selectWorkloadObjects,
  type K8sObject,
  type PromotionPreviewRequest,
} from '@tollgate/plugin-tollgate-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { ExplanationService } from '../explainer';
import type { GitManifestSource } from '../gitops/types';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import {
  demoClusterObjects,
  storeDemoClusters,
} from './__testUtils__/demoClusters';
import { MemoryGitManifests } from './__testUtils__/memoryGit';
import { AuditService } from './AuditService';
import { PromotionService } from './PromotionService';

jest.setTimeout(60_000);

const now = new Date('2026-12-02T12:00:00.000Z');
const caller = {
  context: { actor: 'user:default/alice', requestId: 'req-42' },
  credentials: mockCredentials.user('user:default/alice'),
};
const CHECKOUT = 'component:default/checkout-api';
/** The demo's repository root: relative GitOps paths resolve against it, as in app-config. */
const REPO_ROOT = join(__dirname, '../../../..');
const GITOPS_REPO = join(REPO_ROOT, '.demo/gitops.git');
const TOKEN_REPO =
  'https://x-access-token:ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/private-gitops';

/** The Components of examples/entities.yaml, as the catalog serves them. */
function exampleEntities(): Entity[] {
  const file = join(__dirname, '../../../../examples/entities.yaml');
  const entities = parseAllDocuments(readFileSync(file, 'utf8')).map(doc => ({
    ...doc.toJS(),
    metadata: { namespace: 'default', ...doc.toJS().metadata },
  })) as Entity[];
  const bare: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'legacy-billing', namespace: 'default' },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
  return [...entities, bare];
}

/**
 * The demo's expected monthly cost, from the shipped price list: production
 * runs on m5.xlarge in eu-west-1; OpenCost splits the node's hourly price
 * into a per-vCPU and a per-GiB rate in the ratio of its default rates.
 */
function expectedDemoCost() {
  const node = INSTANCE_PRICES.find(
    p =>
      p.provider === 'aws' &&
      p.region === 'eu-west-1' &&
      p.instanceType === 'm5.xlarge',
  )!;
  expect(node).toMatchObject({ hourly: 0.214, vcpu: 4, memoryGiB: 16 });
  const cpuToRam = DEFAULT_RATES.cpuPerCoreHour / DEFAULT_RATES.ramPerGiBHour;
  const perGiBHour = node.hourly / (node.vcpu * cpuToRam + node.memoryGiB);
  const perCoreHour = perGiBHour * cpuToRam;
  const loadBalancer =
    LOAD_BALANCER_PRICES.find(p => p.provider === 'aws')!.hourly *
    HOURS_PER_MONTH;
  // Production: 4 replicas (its HPA's minimum) x 250m CPU and 512Mi.
  const baseline =
    4 * (0.25 * perCoreHour + 0.5 * perGiBHour) * HOURS_PER_MONTH;
  // Staging's spec: 500m and 768Mi; 4 replicas stay within its HPA's 2..4;
  // its Service becomes a LoadBalancer.
  const projected =
    4 * (0.5 * perCoreHour + 0.75 * perGiBHour) * HOURS_PER_MONTH +
    loadBalancer;
  return { baseline, projected, delta: projected - baseline, loadBalancer };
}

const stagingToProduction: PromotionPreviewRequest = {
  entityRef: CHECKOUT,
  source: { environment: 'staging' },
  target: { environment: 'production' },
};

describe('PromotionService', () => {
  const databases = createTestDatabases();

  async function setUp(
    databaseId: Parameters<typeof databases.init>[0],
    options: {
      git?: GitManifestSource;
      audit?: AuditService;
      allowedGitRepos?: string[];
    } = {},
  ) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    const stores = new TollgateStores(db);
    const clusters = await storeDemoClusters(stores);
    const service = new PromotionService({
      stores,
      audit: options.audit ?? new AuditService(() => now),
      catalog: catalogServiceMock({ entities: exampleEntities() }),
      explainer: new ExplanationService(stores),
      previewOptions: {},
      git: options.git,
      allowedGitRepos: options.allowedGitRepos,
      gitOpsLocalRoot: REPO_ROOT,
      clock: () => now,
    });
    return { db, stores, clusters, service };
  }

  it.each(databases.eachSupportedId())(
    'previews the demo checkout-api from staging to production with figures from the shipped prices on %p',
    async databaseId => {
      const { stores, clusters, service } = await setUp(databaseId);
      const preview = await service.preview(stagingToProduction, caller);

      const deployment = preview.diff.objects.find(
        o => o.kind === 'Deployment',
      );
      expect(deployment).toMatchObject({
        name: 'checkout-api',
        status: 'modified',
      });
      expect(deployment?.changes).toContainEqual({
        path: 'spec.template.spec.containers[name=api].image',
        type: 'changed',
        before: 'ghcr.io/acme/checkout-api:2.3.1',
        after: 'ghcr.io/acme/checkout-api:2.4.0',
      });
      expect(preview.diff.summary).toMatchObject({ modified: 6, total: 6 });

      const expected = expectedDemoCost();
      const cost = preview.estimated_cost;
      expect(cost.baseline).toBeCloseTo(expected.baseline, 9);
      expect(cost.projected).toBeCloseTo(expected.projected, 9);
      expect(cost.delta).toBeCloseTo(expected.delta, 9);
      expect(cost.text).toBe('+$47.08 ($32.24 -> $79.32)');
      expect(cost.currency).toBe('USD');
      expect(cost.lines).toContainEqual(
        expect.objectContaining({
          object: 'Service/checkout-api',
          resource: 'load-balancer',
          projected: expected.loadBalancer,
          text: '+$18.25 ($0.00 -> $18.25)',
        }),
      );

      expect(preview.risk_level).toBe('high');
      expect(preview.risks.map(r => `${r.severity}:${r.ruleId}`)).toEqual([
        'high:service-exposed',
        'medium:cost-guardrail',
        'medium:env-var-removed',
      ]);
      expect(preview.risks[0].fix).toMatch(/ClusterIP/);

      expect(preview.explanation).toMatchObject({
        generator: 'deterministic',
        numbers_check: 'not-applicable',
      });
      for (const amount of ['$32.24', '$79.32', '$47.08', '+$18.25']) {
        expect(preview.explanation.text).toContain(amount);
      }
      expect(preview.explanation.text).toContain(preview.risks[0].fix);

      expect(preview.source).toEqual({
        type: 'cluster',
        environment: 'staging',
        cluster_id: clusters.staging.id,
        cluster_name: 'demo-staging',
        namespace: 'shop',
        snapshot_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        last_seen_at: '2026-12-01T09:00:00.000Z',
        object_count: 6,
        objects_fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(preview.target).toMatchObject({
        cluster_id: clusters.production.id,
        environment: 'production',
      });
      expect(preview).toMatchObject({
        entity_ref: CHECKOUT,
        workload: { name: 'checkout-api', label_selector: null },
        state: 'previewed',
        created_by: 'user:default/alice',
        created_at: now.toISOString(),
      });

      expect(await service.get(preview.promotion_id)).toEqual(preview);
      const listed = await service.list({
        entityRef: 'checkout-api',
        environment: 'production',
        limit: 10,
        offset: 0,
      });
      expect(listed.total).toBe(1);
      expect(listed.items[0].promotion_id).toBe(preview.promotion_id);
      const audit = await stores.audit.list({ targetId: preview.promotion_id });
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'promotion.preview',
          actor: 'user:default/alice',
          requestId: 'req-42',
          targetType: 'promotion',
          details: expect.objectContaining({ riskLevel: 'high' }),
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records its inputs, so a changed target shows in the fingerprints on %p',
    async databaseId => {
      const { stores, clusters, service } = await setUp(databaseId);
      const first = await service.preview(stagingToProduction, caller);
      const again = await service.preview(stagingToProduction, caller);
      expect(again.inputs_fingerprint).toBe(first.inputs_fingerprint);
      expect(again.promotion_id).not.toBe(first.promotion_id);

      const production = await stores.objects.list(clusters.production.id, {
        kind: 'Deployment',
        namespace: 'shop',
      });
      const scaled = structuredClone(production[0].object) as any;
      scaled.spec.replicas = 6;
      await stores.objects.upsert(
        clusters.production.id,
        [{ object: scaled, hash: 'changed' }],
        'delta',
        new Date('2026-12-02T11:00:00.000Z'),
      );
      const changed = await service.preview(stagingToProduction, caller);
      expect(changed.source.objects_fingerprint).toBe(
        first.source.objects_fingerprint,
      );
      expect(changed.target.objects_fingerprint).not.toBe(
        first.target.objects_fingerprint,
      );
      expect(changed.inputs_fingerprint).not.toBe(first.inputs_fingerprint);
      expect(changed.target).toMatchObject({
        last_seen_at: '2026-12-02T11:00:00.000Z',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'reads Git sides at a ref, with the target priced on its cluster on %p',
    async databaseId => {
      const workload = (environment: 'staging' | 'production') =>
        selectWorkloadObjects(demoClusterObjects(environment) as K8sObject[], {
          name: 'checkout-api',
        });
      const git = new MemoryGitManifests([
        {
          repo: GITOPS_REPO,
          ref: 'main',
          path: 'apps/checkout-api/overlays/staging',
          commit: 'a'.repeat(40),
          objects: workload('staging'),
        },
        {
          repo: TOKEN_REPO,
          ref: 'main',
          path: 'checkout',
          commit: 'c'.repeat(40),
          objects: workload('staging'),
        },
        {
          repo: GITOPS_REPO,
          ref: 'v2.3.1',
          path: 'apps/checkout-api/overlays/production',
          commit: 'b'.repeat(40),
          objects: workload('production'),
        },
      ]);
      const { service } = await setUp(databaseId, {
        git,
        allowedGitRepos: [TOKEN_REPO],
      });

      const fromGit = await service.preview(
        {
          ...stagingToProduction,
          source: { git: { ref: 'main', environment: 'staging' } },
        },
        caller,
      );
      expect(fromGit.source).toEqual({
        type: 'git',
        environment: 'staging',
        repo: GITOPS_REPO,
        ref: 'main',
        path: 'apps/checkout-api/overlays/staging',
        commit: 'a'.repeat(40),
        layout: 'plain',
        warnings: [],
        object_count: 6,
        objects_fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(fromGit.estimated_cost.text).toBe('+$47.08 ($32.24 -> $79.32)');

      const bothGit = await service.preview(
        {
          entityRef: CHECKOUT,
          source: { git: { ref: 'main', environment: 'staging' } },
          target: { git: { ref: 'v2.3.1', environment: 'production' } },
        },
        caller,
      );
      // Production's nodes still price the target, though it is read from Git.
      expect(bothGit.estimated_cost.text).toBe('+$47.08 ($32.24 -> $79.32)');
      const withToken = await service.preview(
        {
          ...stagingToProduction,
          source: { git: { ref: 'main', path: 'checkout', repo: TOKEN_REPO } },
        },
        caller,
      );
      expect(withToken.source).toMatchObject({
        repo: 'https://github.com/acme/private-gitops',
        commit: 'c'.repeat(40),
      });
      expect(JSON.stringify(withToken)).not.toContain('ghp_');
      expect(git.requests.at(-1)?.repo).toBe(TOKEN_REPO);
      expect(git.requests.slice(0, 3).map(r => r.path)).toEqual([
        'apps/checkout-api/overlays/staging',
        'apps/checkout-api/overlays/staging',
        'apps/checkout-api/overlays/production',
      ]);
    },
  );

  it('previews a bare workload between cluster namespaces', async () => {
    const { service } = await setUp('SQLITE_3');
    const preview = await service.preview(
      {
        workload: {
          name: 'checkout-api',
          labelSelector: 'app.kubernetes.io/name=checkout-api',
        },
        source: { cluster: 'demo-staging', namespace: 'shop' },
        target: { cluster: 'demo-production', namespace: 'shop' },
      },
      caller,
    );
    expect(preview.entity_ref).toBeNull();
    expect(preview.workload).toEqual({
      name: 'checkout-api',
      label_selector: 'app.kubernetes.io/name=checkout-api',
    });
    expect(preview.source).toMatchObject({
      type: 'cluster',
      environment: null,
    });
    expect(preview.estimated_cost.text).toBe('+$47.08 ($32.24 -> $79.32)');
  });

  it('says what to fix when a preview cannot be made', async () => {
    const { service } = await setUp('SQLITE_3');
    const attempt = (request: Partial<PromotionPreviewRequest>) =>
      service.preview({ ...stagingToProduction, ...request }, caller);

    await expect(
      attempt({ entityRef: 'component:default/legacy-billing' }),
    ).rejects.toThrow(
      new InputError(
        "Entity 'component:default/legacy-billing' is not set up for Tollgate: Add the backstage.io/kubernetes-id annotation (the workload's name, e.g. backstage.io/kubernetes-id: legacy-billing) or backstage.io/kubernetes-label-selector",
      ),
    );
    await expect(
      attempt({ entityRef: 'component:default/nope' }),
    ).rejects.toThrow(
      new NotFoundError("No catalog entity 'component:default/nope'"),
    );
    await expect(attempt({ target: { environment: 'qa' } })).rejects.toThrow(
      "Environment 'qa' is not declared in tollgate.io/environments; declared: staging, production",
    );
    await expect(
      attempt({ target: { cluster: 'demo-production', namespace: 'default' } }),
    ).rejects.toThrow(
      new NotFoundError(
        "No Deployment, StatefulSet or DaemonSet with app.kubernetes.io/name=checkout-api or backstage.io/kubernetes-id=checkout-api, or named checkout-api in namespace 'default' of cluster 'demo-production' (the target)",
      ),
    );
    await expect(
      attempt({ source: { cluster: 'demo-qa', namespace: 'shop' } }),
    ).rejects.toThrow(
      new NotFoundError("No cluster named or with id 'demo-qa'"),
    );
    await expect(
      attempt({ source: { git: { ref: 'main', environment: 'staging' } } }),
    ).rejects.toThrow(
      new InputError(
        'The source reads Git, but no Git manifest reader is configured in this backend',
      ),
    );
    await expect(
      service.preview(
        {
          workload: { name: 'checkout-api' },
          source: { environment: 'staging' },
          target: { environment: 'production' },
        },
        caller,
      ),
    ).rejects.toThrow(/needs an entityRef whose tollgate.io\/environments/);
    await expect(
      attempt({
        source: {
          git: { ref: 'main', path: 'apps', repo: '/srv/someone-elses-repo' },
        },
      }),
    ).rejects.toThrow(
      new NotAllowedError(
        "The source's repository is neither component:default/checkout-api's tollgate.io/gitops-repo nor listed in tollgate.gitops.allowedRepos",
      ),
    );
    await expect(service.get('no-such-id')).rejects.toThrow(
      new NotFoundError("No promotion with id 'no-such-id'"),
    );
  });

  it('previews a first promotion into an empty namespace when asked to', async () => {
    const { service } = await setUp('SQLITE_3');
    const preview = await service.preview(
      {
        ...stagingToProduction,
        target: { cluster: 'demo-production', namespace: 'default' },
        options: { allowNewTarget: true },
      },
      caller,
    );
    expect(preview.diff.summary).toMatchObject({ added: 6, total: 6 });
    expect(preview.target).toMatchObject({
      namespace: 'default',
      object_count: 0,
    });
  });

  it.each(databases.eachSupportedId())(
    'keeps nothing of a preview whose audit entry cannot be written on %p',
    async databaseId => {
      const audit = new AuditService();
      jest.spyOn(audit, 'record').mockRejectedValue(new Error('disk full'));
      const { db, service } = await setUp(databaseId, { audit });
      await expect(
        service.preview(stagingToProduction, caller),
      ).rejects.toThrow('disk full');
      for (const table of [
        'workload_promotions',
        'workload_diffs',
        'promotion_costs',
        'promotion_risks',
        'llm_explanations',
      ]) {
        const [{ n }] = await db(table).count({ n: '*' });
        expect(Number(n)).toBe(0);
      }
    },
  );
});
