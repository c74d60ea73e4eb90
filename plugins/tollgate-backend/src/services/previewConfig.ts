import type { RootConfigService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import {
  createPriceBook,
  describeIssues,
  evaluateRisk,
  SEVERITIES,
  type PreviewOptions,
} from '@tollgate/plugin-tollgate-common';

const provider = z.enum(['aws', 'gcp', 'azure']);
const price = z.number().min(0);
const configured = 'app-config (tollgate.preview)';

const pricingSchema = z.strictObject({
  discountPercent: z.number().min(0).lt(100).optional(),
  hoursPerMonth: z.number().positive().optional(),
  instances: z
    .array(
      z.strictObject({
        provider,
        region: z.string().min(1),
        instanceType: z.string().min(1),
        vcpu: z.number().positive(),
        memoryGiB: z.number().positive(),
        gpu: z.number().int().min(0).optional(),
        hourly: price,
        spotHourly: price.optional(),
        source: z.string().default(configured),
        asOf: z.string().default(''),
      }),
    )
    .optional(),
  storage: z
    .array(
      z.strictObject({
        provider: z.union([provider, z.literal('default')]).default('default'),
        diskType: z.string().min(1),
        perGiBMonth: price,
        source: z.string().default(configured),
        asOf: z.string().default(''),
      }),
    )
    .optional(),
  loadBalancers: z.record(z.string(), price).optional(),
  defaults: z
    .strictObject({
      cpuPerCoreHour: price.optional(),
      ramPerGiBHour: price.optional(),
      gpuPerHour: price.optional(),
      spotCpuPerCoreHour: price.optional(),
      spotRamPerGiBHour: price.optional(),
      storagePerGiBMonth: price.optional(),
    })
    .optional(),
});

const previewConfigSchema = z.strictObject({
  ignore: z
    .array(
      z.strictObject({
        kind: z.string().min(1),
        paths: z.array(z.string().startsWith('/')),
      }),
    )
    .optional(),
  keepDefaults: z.boolean().optional(),
  renameThreshold: z.number().min(0).max(1).optional(),
  pricing: pricingSchema.optional(),
  risk: z
    .strictObject({
      rules: z
        .record(
          z.string(),
          z.strictObject({
            enabled: z.boolean().optional(),
            severity: z.enum(SEVERITIES).optional(),
          }),
        )
        .optional(),
      costGuardrail: z
        .strictObject({
          monthlyDelta: z.number().min(0).optional(),
          percentDelta: z.number().min(0).optional(),
        })
        .optional(),
    })
    .optional(),
});

/**
 * The engine options from `tollgate.preview`: ignore rules, price overrides
 * and discount, risk rule overrides and the cost guardrail. Checked at
 * startup, so a typo in a rule id stops the backend instead of every preview.
 */
export function previewOptionsFromConfig(
  config: RootConfigService,
): PreviewOptions {
  const raw = config.getOptional('tollgate.preview') ?? {};
  const parsed = previewConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = Object.entries(describeIssues(parsed.error))
      .map(([field, message]) => `tollgate.preview.${field}: ${message}`)
      .join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const { pricing, risk, ...diff } = parsed.data;
  evaluateRisk({ matches: [] }, risk); // throws for unknown rule ids
  return {
    ...diff,
    priceBook: createPriceBook(pricing),
    ...(risk ? { risk } : {}),
  };
}
