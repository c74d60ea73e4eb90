import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PromotionPreview } from '@tollgate/plugin-tollgate-common';
import type { TollgateClient } from '../TollgateClient';
import { examples } from './preview.examples';

/** Risk levels from least to most severe, as the preview engine grades them. */
export const RISK_LEVELS = [
  'none',
  'info',
  'low',
  'medium',
  'high',
  'critical',
] as const;
type RiskLevel = (typeof RISK_LEVELS)[number];

interface Guardrail {
  monthlyDeltaUsd?: number;
  riskLevel?: RiskLevel;
}

/**
 * `tollgate:promotion:preview`: previews a promotion through the Tollgate
 * API and outputs its cost delta, risk level and explanation; fails the
 * task when the result is above the given guardrail.
 */
export function createPromotionPreviewAction(client: TollgateClient) {
  return createTemplateAction({
    id: 'tollgate:promotion:preview',
    description:
      'Previews promoting a workload between environments with Tollgate (diff, monthly cost, risk, explanation) and stores the preview for approval',
    examples,
    supportsDryRun: false,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'Catalog entity with Tollgate annotations, e.g. component:default/checkout-api',
            ),
        sourceEnvironment: z =>
          z
            .string()
            .min(1)
            .describe('Environment to promote from, e.g. staging'),
        targetEnvironment: z =>
          z
            .string()
            .min(1)
            .describe('Environment to promote to, e.g. production'),
        failAbove: z =>
          z
            .object({
              monthlyDeltaUsd: z
                .number()
                .optional()
                .describe(
                  'Fail when the monthly cost grows by more than this many USD',
                ),
              riskLevel: z
                .enum(RISK_LEVELS)
                .optional()
                .describe(
                  'Fail when the risk level is above this one (none, info, low, medium, high, critical)',
                ),
            })
            .optional()
            .describe('Guardrails: the task fails above them'),
      },
      output: {
        promotionId: z =>
          z
            .string()
            .describe('Id of the stored preview, for approval and prepare'),
        costDelta: z =>
          z
            .number()
            .describe(
              'Change of the monthly cost in USD (projected - baseline)',
            ),
        costText: z =>
          z
            .string()
            .describe('The cost change as text: +$12.40 ($40.10 -> $52.50)'),
        riskLevel: z =>
          z
            .enum(RISK_LEVELS)
            .describe('Highest severity among the risk findings'),
        explanation: z =>
          z.string().describe('Plain-English explanation of the change'),
      },
    },
    async handler(ctx) {
      const { entityRef, sourceEnvironment, targetEnvironment } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      // A retried task reuses the preview it already made.
      const preview = await ctx.checkpoint({
        key: `tollgate-preview-${entityRef}-${sourceEnvironment}-${targetEnvironment}`,
        fn: async () =>
          summaryOf(
            await client.preview(
              {
                entityRef,
                source: { environment: sourceEnvironment },
                target: { environment: targetEnvironment },
              },
              credentials,
            ),
          ),
      });
      ctx.logger.info(
        `Preview ${preview.promotionId}: ${preview.costText} per month, risk ${preview.riskLevel}`,
      );
      ctx.output('promotionId', preview.promotionId);
      ctx.output('costDelta', preview.costDelta);
      ctx.output('costText', preview.costText);
      ctx.output('riskLevel', preview.riskLevel);
      ctx.output('explanation', preview.explanation);
      const breach = guardrailBreach(preview, ctx.input.failAbove);
      if (breach) throw new Error(`Promotion ${preview.promotionId} ${breach}`);
    },
  });
}

function summaryOf(preview: PromotionPreview) {
  return {
    promotionId: preview.promotion_id,
    costDelta: preview.estimated_cost.delta,
    costText: preview.estimated_cost.text,
    riskLevel: preview.risk_level as RiskLevel,
    explanation: preview.explanation.text,
  };
}

/** Why the preview is above the guardrail, or undefined when it is within. */
export function guardrailBreach(
  preview: { costDelta: number; costText: string; riskLevel: RiskLevel },
  guardrail: Guardrail | undefined,
): string | undefined {
  if (!guardrail) return undefined;
  const { monthlyDeltaUsd, riskLevel } = guardrail;
  if (monthlyDeltaUsd !== undefined && preview.costDelta > monthlyDeltaUsd) {
    return `costs ${
      preview.costText
    } per month, above the guardrail of +$${monthlyDeltaUsd.toFixed(2)}`;
  }
  if (
    riskLevel !== undefined &&
    RISK_LEVELS.indexOf(preview.riskLevel) > RISK_LEVELS.indexOf(riskLevel)
  ) {
    return `has risk level ${preview.riskLevel}, above the guardrail of ${riskLevel}`;
  }
  return undefined;
}
