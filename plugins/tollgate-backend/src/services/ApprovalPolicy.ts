import { z } from 'zod';
import type { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { describeIssues } from '@tollgate/plugin-tollgate-common';
import { FreezeWindow } from './freezeWindows';

const entityRef = z
  .string()
  .trim()
  .min(1)
  .refine(ref => normalizeRef(ref) !== undefined, {
    message: 'must be an entity ref such as group:default/sre',
  });

const policySchema = z.strictObject({
  requiredApprovals: z.number().int().min(1).max(20).optional(),
  allowSelfApproval: z.boolean().optional(),
  approvers: z.array(entityRef).optional(),
  approverRoles: z.array(entityRef).optional(),
  freezeWindows: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(120),
        rrule: z.string().trim().min(1),
        duration: z.string().trim().min(1),
        timezone: z.string().trim().min(1).default('UTC'),
      }),
    )
    .optional(),
  costGuardrail: z
    .strictObject({
      monthlyDeltaUsd: z.number().min(0).optional(),
      percent: z.number().min(0).optional(),
      extraApprovals: z.number().int().min(1).max(10).default(1),
    })
    .refine(
      g => g.monthlyDeltaUsd !== undefined || g.percent !== undefined,
      'Give monthlyDeltaUsd, percent or both',
    )
    .optional(),
});
type PolicyConfig = z.infer<typeof policySchema>;
/** A policy as written in configuration. */
export type ApprovalPolicyConfig = z.input<typeof policySchema>;

const approvalsSchema = z.strictObject({
  default: policySchema.optional(),
  environments: z.record(z.string(), policySchema).optional(),
});

export interface CostGuardrail {
  monthlyDeltaUsd?: number;
  percent?: number;
  extraApprovals: number;
}

/** The approval rules of one target environment. */
export interface ApprovalPolicy {
  /** The environment it was configured for, or `default`. */
  name: string;
  requiredApprovals: number;
  allowSelfApproval: boolean;
  /** Users and groups who may approve (normalized refs); empty: anyone with the permission. */
  approvers: string[];
  freezeWindows: FreezeWindow[];
  costGuardrail?: CostGuardrail;
}

/** A promotion's monthly cost change, as the guardrail compares it. */
export interface CostChange {
  delta: number;
  /** Null when the baseline is 0. */
  deltaPercent: number | null;
}

/** How many approvals a promotion needs, and why more than the base. */
export interface ApprovalRequirement {
  required: number;
  /** Set when the cost guardrail added approvals. */
  guardrail?: string;
}

const BUILT_IN: PolicyConfig = { requiredApprovals: 1 };

/**
 * Approval policies from `tollgate.approvals`: one per target environment,
 * each field falling back to `default`, then to one approval by anyone
 * allowed, never by the preview's author.
 */
export class ApprovalPolicies {
  private constructor(
    private readonly defaults: PolicyConfig,
    private readonly environments: Record<string, PolicyConfig>,
  ) {}

  /** @throws Error naming each invalid field of `tollgate.approvals` */
  static fromConfig(config: RootConfigService): ApprovalPolicies {
    const raw = config.getOptional('tollgate.approvals') ?? {};
    const parsed = approvalsSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = Object.entries(describeIssues(parsed.error))
        .map(([field, message]) => `${field}: ${message}`)
        .join('; ');
      throw new Error(`Invalid tollgate.approvals: ${problems}`);
    }
    const policies = new ApprovalPolicies(
      parsed.data.default ?? {},
      parsed.data.environments ?? {},
    );
    policies.validateFreezeWindows();
    return policies;
  }

  static of(
    defaults: ApprovalPolicyConfig = {},
    environments: Record<string, ApprovalPolicyConfig> = {},
  ): ApprovalPolicies {
    return new ApprovalPolicies(
      policySchema.parse(defaults),
      Object.fromEntries(
        Object.entries(environments).map(([name, policy]) => [
          name,
          policySchema.parse(policy),
        ]),
      ),
    );
  }

  /** The policy of a target environment; `null` (a bare cluster target) gets the default. */
  forEnvironment(environment: string | null): ApprovalPolicy {
    const specific =
      environment !== null ? this.environments[environment] : undefined;
    const pick = <K extends keyof PolicyConfig>(key: K) =>
      specific?.[key] ?? this.defaults[key] ?? BUILT_IN[key];
    const approvers = [
      ...(pick('approvers') ?? []),
      ...(pick('approverRoles') ?? []),
    ];
    return {
      name: specific ? environment! : 'default',
      requiredApprovals: pick('requiredApprovals') ?? 1,
      allowSelfApproval: pick('allowSelfApproval') ?? false,
      approvers: [...new Set(approvers.map(ref => normalizeRef(ref)!))],
      freezeWindows: (pick('freezeWindows') ?? []).map(FreezeWindow.parse),
      costGuardrail: pick('costGuardrail'),
    };
  }

  private validateFreezeWindows() {
    for (const name of [null, ...Object.keys(this.environments)]) {
      this.forEnvironment(name);
    }
  }
}

/** Base approvals, plus the guardrail's extra ones when the cost rises past it. */
export function requiredApprovals(
  policy: ApprovalPolicy,
  cost: CostChange,
): ApprovalRequirement {
  const base = policy.requiredApprovals;
  const exceeded = guardrailExceeded(policy.costGuardrail, cost);
  if (!exceeded) return { required: base };
  return {
    required: base + policy.costGuardrail!.extraApprovals,
    guardrail: exceeded,
  };
}

function guardrailExceeded(
  guardrail: CostGuardrail | undefined,
  cost: CostChange,
): string | undefined {
  if (!guardrail || cost.delta <= 0) return undefined;
  const { monthlyDeltaUsd, percent } = guardrail;
  if (monthlyDeltaUsd !== undefined && cost.delta > monthlyDeltaUsd) {
    return `the monthly cost rises by $${cost.delta.toFixed(
      2,
    )}, above the $${monthlyDeltaUsd} guardrail`;
  }
  // A rise from nothing is an unbounded percentage.
  const risePercent = cost.deltaPercent ?? Infinity;
  if (percent !== undefined && risePercent > percent) {
    return `the monthly cost rises by ${
      Number.isFinite(risePercent) ? `${risePercent.toFixed(1)}%` : 'from $0'
    }, above the ${percent}% guardrail`;
  }
  return undefined;
}

/** `kind:namespace/name` in lower case, or undefined when not a full-enough ref. */
export function normalizeRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
