import type { PromotionListItem } from '@tollgate/plugin-tollgate-common';
import type { PromotionDetails, TollgateApi } from '../api';

export const stagingSide = {
  type: 'cluster' as const,
  environment: 'staging',
  cluster_id: 'c-stg',
  cluster_name: 'demo-staging',
  namespace: 'shop',
  snapshot_id: null,
  last_seen_at: null,
  object_count: 4,
  objects_fingerprint: 'a',
};

export const productionSide = {
  ...stagingSide,
  environment: 'production',
  cluster_id: 'c-prod',
  cluster_name: 'demo-production',
};

export function promotionDetails(
  overrides: Partial<PromotionDetails> = {},
): PromotionDetails {
  return {
    promotion_id: 'p-1',
    entity_ref: 'component:default/checkout-api',
    workload: { name: 'checkout-api', label_selector: null },
    state: 'previewed',
    source: stagingSide,
    target: productionSide,
    risk_level: 'high',
    risk_score: 42,
    summary: {
      objects: {
        added: 1,
        removed: 0,
        modified: 2,
        renamed: 0,
        unchanged: 3,
        total: 6,
      },
      baselineMonthly: 40.1,
      projectedMonthly: 52.5,
      deltaMonthly: 12.4,
      currency: 'USD',
      costText: '+$12.40 ($40.10 -> $52.50)',
      riskLevel: 'high',
      riskScore: 42,
      findings: 2,
    },
    inputs_fingerprint: 'f',
    created_at: '2026-12-01T10:00:00.000Z',
    created_by: 'user:default/alice',
    diff: {
      summary: {
        added: 1,
        removed: 0,
        modified: 2,
        renamed: 0,
        unchanged: 3,
        total: 6,
      },
      objects: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'checkout-api',
          namespace: 'shop',
          status: 'modified',
          changes: [
            {
              path: 'spec.replicas',
              type: 'changed',
              before: 3,
              after: 1,
            },
            {
              path: 'spec.template.spec.containers[name=api].env[name=DB_PASSWORD].value',
              type: 'changed',
              before: '<redacted>',
              after: '<redacted>',
            },
          ],
          unifiedDiff: [
            '--- a/Deployment/checkout-api.yaml',
            '+++ b/Deployment/checkout-api.yaml',
            '@@ -1,4 +1,4 @@',
            ' kind: Deployment',
            ' spec:',
            '-  replicas: 3',
            '+  replicas: 1',
            '   selector: {}',
          ].join('\n'),
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'checkout-flags',
          namespace: 'shop',
          status: 'added',
          changes: [],
          unifiedDiff: [
            '--- /dev/null',
            '+++ b/ConfigMap/checkout-flags.yaml',
            '@@ -0,0 +1,2 @@',
            '+kind: ConfigMap',
            '+data: <redacted>',
          ].join('\n'),
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: 'checkout-api',
          namespace: 'shop',
          status: 'unchanged',
          changes: [],
          unifiedDiff: '',
        },
      ],
    },
    estimated_cost: {
      currency: 'USD',
      baseline: 40.1,
      projected: 52.5,
      delta: 12.4,
      delta_percent: 30.92,
      text: '+$12.40 ($40.10 -> $52.50)',
      hours_per_month: 730,
      discount_percent: 0,
      lines: [
        {
          object: 'Deployment/checkout-api',
          resource: 'cpu',
          baseline: 30,
          projected: 40,
          delta: 10,
          text: '+$10.00 ($30.00 -> $40.00)',
          formula: { baseline: '3 x 0.5 cores x $0.0274 x 730 h' },
        },
        {
          object: 'Deployment/checkout-api',
          resource: 'memory',
          baseline: 10.1,
          projected: 12.5,
          delta: 2.4,
          text: '+$2.40 ($10.10 -> $12.50)',
          formula: {},
        },
      ],
      hpa_band: {
        baseline: { min: 20, max: 80 },
        projected: { min: 26, max: 105 },
      },
      node_rates: [],
      warnings: [
        {
          code: 'missing-requests',
          message: 'container sidecar has no CPU request; priced at zero',
          object: 'Deployment/checkout-api',
        },
      ],
    },
    risks: [
      {
        ruleId: 'replicas-reduced',
        severity: 'high',
        message: 'Replicas go down from 3 to 1',
        object: 'Deployment/checkout-api',
        path: 'spec.replicas',
        fix: 'Keep at least 3 replicas in production',
      },
      {
        ruleId: 'image-latest',
        severity: 'medium',
        message: 'Image uses the floating tag latest',
        object: 'Deployment/checkout-api',
        path: 'spec.template.spec.containers[name=api].image',
        fix: 'Pin the image to a version or digest',
      },
    ],
    explanation: {
      text: 'Promoting checkout-api from staging to production changes 3 objects.\n\nIt adds $12.40 a month.',
      generator: 'deterministic',
      provider: null,
      model: null,
      numbers_check: 'not-applicable',
      fallback_reason: null,
      facts_hash: 'h',
      cached: false,
      created_at: '2026-12-01T10:00:00.000Z',
    },
    ...overrides,
  };
}

export function listItem(
  overrides: Partial<PromotionListItem> = {},
): PromotionListItem {
  const {
    diff: _diff,
    risks: _risks,
    explanation: _explanation,
    approval: _approval,
    approvals: _approvals,
    pullRequest: _pr,
    ...rest
  } = promotionDetails();
  return {
    ...rest,
    state: 'previewed',
    estimated_cost: {
      baseline: 40.1,
      projected: 52.5,
      delta: 12.4,
      currency: 'USD',
    },
    ...overrides,
  } as PromotionListItem;
}

export function fakeApi(
  overrides: Partial<TollgateApi> = {},
): jest.Mocked<TollgateApi> {
  return {
    listClusters: jest.fn().mockResolvedValue([]),
    getCluster: jest.fn(),
    createCluster: jest.fn(),
    updateCluster: jest.fn(),
    deleteCluster: jest.fn(),
    getAgentInfo: jest.fn(),
    issueAgentToken: jest.fn(),
    revokeAgentToken: jest.fn(),
    listObjects: jest.fn(),
    listSnapshots: jest.fn(),
    listHelmReleases: jest.fn(),
    getBackendUrl: jest.fn(),
    previewPromotion: jest.fn().mockResolvedValue(promotionDetails()),
    listPromotions: jest.fn().mockResolvedValue({
      items: [listItem()],
      total: 1,
      limit: 50,
      offset: 0,
    }),
    getPromotion: jest.fn().mockResolvedValue(promotionDetails()),
    approvePromotion: jest.fn(),
    rejectPromotion: jest.fn(),
    retryPullRequest: jest.fn(),
    getFleetSummary: jest.fn(),
    ...overrides,
  } as jest.Mocked<TollgateApi>;
}
