import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Preview promoting checkout-api from staging to production',
    example: stringify({
      steps: [
        {
          id: 'preview',
          action: 'tollgate:promotion:preview',
          name: 'Preview the promotion',
          input: {
            entityRef: 'component:default/checkout-api',
            sourceEnvironment: 'staging',
            targetEnvironment: 'production',
          },
        },
      ],
    }),
  },
  {
    description:
      'Fail the task when the promotion costs more than $100 a month extra or carries a high risk',
    example: stringify({
      steps: [
        {
          id: 'preview',
          action: 'tollgate:promotion:preview',
          name: 'Preview within guardrails',
          input: {
            entityRef: 'component:default/checkout-api',
            sourceEnvironment: 'staging',
            targetEnvironment: 'production',
            failAbove: { monthlyDeltaUsd: 100, riskLevel: 'medium' },
          },
        },
      ],
    }),
  },
];
