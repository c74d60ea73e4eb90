import { describeIssues } from './clusters';
import {
  promotionListQuerySchema,
  promotionPreviewRequestSchema,
} from './promotions';

function issuesOf(body: unknown) {
  const result = promotionPreviewRequestSchema.safeParse(body);
  expect(result.success).toBe(false);
  return result.success ? {} : describeIssues(result.error);
}

describe('promotionPreviewRequestSchema', () => {
  it('accepts each kind of side', () => {
    const body = {
      entityRef: 'component:default/checkout-api',
      source: { git: { ref: 'main', environment: 'staging' } },
      target: { cluster: 'demo-production', namespace: 'shop' },
      options: { ignore: [{ kind: 'Deployment', paths: ['/spec/replicas'] }] },
    };
    expect(promotionPreviewRequestSchema.parse(body)).toEqual(body);
    expect(
      promotionPreviewRequestSchema.parse({
        workload: { name: 'web', labelSelector: 'app=web' },
        source: { environment: 'staging' },
        target: { environment: 'production' },
      }).workload,
    ).toEqual({ name: 'web', labelSelector: 'app=web' });
  });

  it('names each bad field', () => {
    expect(
      issuesOf({
        source: { cluster: 'a' },
        target: { environment: 'Prod', git: { ref: '' } },
        workload: { name: 'web', labelSelector: 'app in (' },
        extra: true,
      }),
    ).toEqual({
      '(body)': expect.stringContaining('extra'),
      'source.namespace': 'Namespace is required with cluster',
      target:
        'Give exactly one of environment, cluster (with namespace) or git',
      'target.environment': expect.stringContaining('DNS label'),
      'target.git': 'Give git.environment or git.path',
      'target.git.ref': 'Git ref is required',
      'workload.labelSelector': expect.stringContaining(
        'Invalid label selector',
      ),
    });
    expect(
      issuesOf({
        entityRef: 'component:default/a',
        workload: { name: 'a' },
        source: { environment: 'a', cluster: 'b', namespace: 'c' },
        target: { git: { ref: 'main' } },
      }),
    ).toEqual({
      entityRef: 'Give either entityRef or workload',
      source:
        'Give exactly one of environment, cluster (with namespace) or git',
      'target.git': 'Give git.environment or git.path',
    });
  });
});

describe('promotionListQuerySchema', () => {
  it('coerces paging and checks the filters', () => {
    expect(
      promotionListQuerySchema.parse({ limit: '5', riskLevel: 'high' }),
    ).toEqual({ limit: 5, offset: 0, riskLevel: 'high' });
    const bad = promotionListQuerySchema.safeParse({
      limit: '1000',
      riskLevel: 'severe',
    });
    expect(bad.success).toBe(false);
    expect(Object.keys(describeIssues(bad.error!))).toEqual([
      'riskLevel',
      'limit',
    ]);
  });
});
