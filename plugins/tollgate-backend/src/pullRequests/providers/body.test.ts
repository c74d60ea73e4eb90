import type { PromotionPreview } from '@tollgate/plugin-tollgate-common';
import { pullRequestBody } from './body';
import {
  branchName,
  pullRequestLabels,
  pullRequestTitle,
  type PromotionNaming,
} from './conventions';

const preview = {
  promotion_id: 'p-1',
  workload: { name: 'checkout-api', label_selector: null },
  source: { type: 'cluster', environment: 'staging' },
  target: { type: 'cluster', environment: 'production' },
  estimated_cost: {
    currency: 'USD',
    baseline: 40.1,
    projected: 52.5,
    delta: 12.4,
    text: '+$12.40 ($40.10 -> $52.50)',
    lines: [
      {
        object: 'Deployment/checkout-api',
        resource: 'cpu',
        baseline: 30,
        projected: 42.4,
        delta: 12.4,
        text: '+$12.40 ($30.00 -> $42.40)',
        formula: {},
      },
      {
        object: 'Deployment/checkout-api',
        resource: 'memory',
        baseline: 10.1,
        projected: 10.1,
        delta: 0,
        text: '$0.00 ($10.10 -> $10.10)',
        formula: {},
      },
    ],
  },
  risks: [
    {
      ruleId: 'replicas-decreased',
      severity: 'medium',
      message: 'Replicas drop from 4 to 2 | fewer pods',
      object: 'Deployment/checkout-api',
      path: 'spec.replicas',
      fix: 'Keep 4 replicas in production',
    },
  ],
  explanation: {
    text: 'checkout-api 2.4.0 moves to production. API_KEY=<redacted>\n',
  },
} as unknown as PromotionPreview;

describe('pull request conventions', () => {
  const naming: PromotionNaming = {
    subject: 'component:default/checkout-api',
    workload: 'checkout-api',
    sourceEnvironment: 'staging',
    targetEnvironment: 'production',
    riskLevel: 'medium',
  };

  it('names branch, title and labels after the workload and environments', () => {
    expect(branchName(naming)).toBe('tollgate/promote-checkout-api-production');
    expect(pullRequestTitle(naming)).toBe(
      'Promote checkout-api to production (from staging)',
    );
    expect(pullRequestLabels(naming)).toEqual([
      'tollgate',
      'promotion',
      'env:production',
      'risk:medium',
    ]);
    // A name git could misread never reaches a ref.
    expect(
      branchName({
        ...naming,
        subject: 'payments',
        workload: '--upload-pack=x',
      }),
    ).toBe('tollgate/promote-upload-pack-x-production');
  });

  it('writes cost, risk, explanation, files, manual steps and the link as Markdown', () => {
    const body = pullRequestBody({
      preview,
      files: [
        {
          path: 'apps/checkout-api/overlays/production/kustomization.yaml',
          before: 'a',
          after: 'b',
        },
        {
          path: 'apps/checkout-api/overlays/production/configmap-flags.yaml',
          before: null,
          after: 'c',
        },
      ],
      manualSteps: ['Set env API_KEY by hand'],
      previewUrl:
        'http://localhost:3000/catalog/default/component/checkout-api/tollgate-promotion?promotion=p-1',
    });
    expect(body)
      .toBe(`Tollgate promotes **checkout-api** from \`staging\` to \`production\`.

### Cost (USD per month)

| | Monthly |
| --- | ---: |
| Baseline (production now) | $40.10 |
| Projected | $52.50 |
| **Delta** | **+$12.40 ($40.10 -> $52.50)** |

- \`Deployment/checkout-api\` cpu: +$12.40 ($30.00 -> $42.40)

### Risk

| Severity | Finding | Where | Fix |
| --- | --- | --- | --- |
| medium | Replicas drop from 4 to 2 \\| fewer pods | \`Deployment/checkout-api spec.replicas\` | Keep 4 replicas in production |

### Explanation

checkout-api 2.4.0 moves to production. API_KEY=(not shown)

### Files

- \`apps/checkout-api/overlays/production/kustomization.yaml\`
- \`apps/checkout-api/overlays/production/configmap-flags.yaml\` (new)

### Left to do by hand

- [ ] Set env API_KEY by hand

[Open the preview in the portal](http://localhost:3000/catalog/default/component/checkout-api/tollgate-promotion?promotion=p-1) · promotion \`p-1\`

<sub>Opened by Tollgate. Merge it to promote; close it to drop the promotion.</sub>`);
  });
});
