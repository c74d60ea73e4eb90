import { z } from 'zod';
import { parseLabelSelector } from './labelSelector';
import {
  SEVERITIES,
  type CostLine,
  type CostResult,
  type CostWarning,
  type DiffResult,
  type HpaBand,
  type NodeRate,
  type PreviewSummary,
  type RiskFinding,
  type RiskLevel,
} from './preview';

/**
 * The promotions API under `/api/tollgate/v1/promotions`.
 *
 * Naming: fields the promotions API defines are snake_case, as the product
 * spec names them (`promotion_id`, `estimated_cost`, `risk_level`). Results
 * embedded from the preview engine (`diff`, `risks`, cost `lines`,
 * `summary`) keep the engine's own camelCase types, so the frontend renders
 * them with the engine's types.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const dnsLabel = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} is required`)
    .max(63, `${what} must be at most 63 characters`)
    .regex(
      DNS_LABEL,
      `${what} must be a DNS label: lowercase letters, digits and hyphens`,
    );

const labelSelector = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((selector, ctx) => {
    try {
      parseLabelSelector(selector);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const gitSideSchema = z.strictObject({
  /** Branch, tag or commit SHA. */
  ref: z.string().trim().min(1, 'Git ref is required').max(255),
  /** Environment whose folder (from tollgate.io/gitops-path) to read. */
  environment: dnsLabel('Environment').optional(),
  /** Folder in the repository, instead of an environment's. */
  path: z
    .string()
    .trim()
    .min(1)
    .max(1024)
    .refine(path => !path.startsWith('/') && !path.split('/').includes('..'), {
      message:
        "Path must be a relative folder inside the repository without '..'",
    })
    .optional(),
  /** Repository, instead of the entity's tollgate.io/gitops-repo. */
  repo: z.string().trim().min(1).max(2048).optional(),
});

/**
 * One side of a promotion. Exactly one of: an environment from the entity's
 * `tollgate.io/environments`, a cluster and namespace, or a Git ref.
 */
export const promotionSideSchema = z
  .strictObject({
    environment: dnsLabel('Environment').optional(),
    /** Name or id of a cluster registered with Tollgate. */
    cluster: z.string().trim().min(1).max(63).optional(),
    namespace: dnsLabel('Namespace').optional(),
    git: gitSideSchema.optional(),
  })
  .superRefine((side, ctx) => {
    const kinds = [side.environment, side.cluster, side.git].filter(
      value => value !== undefined,
    );
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Give exactly one of environment, cluster (with namespace) or git',
      });
    }
    if (side.cluster !== undefined && side.namespace === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['namespace'],
        message: 'Namespace is required with cluster',
      });
    }
    if (side.namespace !== undefined && side.cluster === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['namespace'],
        message: 'Namespace goes with cluster',
      });
    }
    if (side.git && !side.git.environment && !side.git.path) {
      ctx.addIssue({
        code: 'custom',
        path: ['git'],
        message: 'Give git.environment or git.path',
      });
    }
  });
export type PromotionSideRequest = z.infer<typeof promotionSideSchema>;

const ignoreRuleSchema = z.strictObject({
  kind: z.string().min(1).max(64),
  paths: z.array(z.string().startsWith('/').max(512)).min(1).max(50),
});

/** Body of `POST /v1/promotions/preview`. */
export const promotionPreviewRequestSchema = z
  .strictObject({
    /** A catalog entity with Tollgate annotations, e.g. `component:default/checkout-api`. */
    entityRef: z.string().trim().min(1).max(255).optional(),
    /** A workload without a catalog entity; sides must then be clusters or Git paths. */
    workload: z
      .strictObject({
        name: z.string().trim().min(1).max(253),
        labelSelector: labelSelector.optional(),
      })
      .optional(),
    source: promotionSideSchema,
    target: promotionSideSchema,
    options: z
      .strictObject({
        /** Fields to leave out of the diff, added to the configured ones. */
        ignore: z.array(ignoreRuleSchema).max(50).optional(),
        keepDefaults: z.boolean().optional(),
        renameThreshold: z.number().min(0).max(1).optional(),
        /** Allow a target without the workload: a first promotion there. */
        allowNewTarget: z.boolean().optional(),
      })
      .optional(),
  })
  .refine(
    body => (body.entityRef === undefined) !== (body.workload === undefined),
    {
      message: 'Give either entityRef or workload',
      path: ['entityRef'],
    },
  );
export type PromotionPreviewRequest = z.input<
  typeof promotionPreviewRequestSchema
>;

/**
 * previewed -> approved -> pr_open -> merged; or rejected, pr_closed,
 * superseded (a newer preview of the same workload and target exists).
 */
export const PROMOTION_STATES = [
  'previewed',
  'approved',
  'pr_open',
  'merged',
  'rejected',
  'pr_closed',
  'superseded',
] as const;
export type PromotionState = (typeof PROMOTION_STATES)[number];

const RISK_LEVELS = ['none', ...SEVERITIES] as const;

/** Query of `GET /v1/promotions`. */
export const promotionListQuerySchema = z.strictObject({
  entityRef: z.string().trim().min(1).max(255).optional(),
  /** Matches the source or the target environment. */
  environment: dnsLabel('Environment').optional(),
  riskLevel: z
    .enum(RISK_LEVELS, {
      error: `Risk level must be one of ${RISK_LEVELS.join(', ')}`,
    })
    .optional(),
  createdBy: z.string().trim().min(1).max(255).optional(),
  state: z
    .enum(PROMOTION_STATES, {
      error: `State must be one of ${PROMOTION_STATES.join(', ')}`,
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PromotionListQuery = z.infer<typeof promotionListQuerySchema>;

/** A side read from a cluster, with what it was at preview time. */
export interface ClusterPromotionSide {
  type: 'cluster';
  environment: string | null;
  cluster_id: string;
  cluster_name: string;
  namespace: string;
  /** The cluster's last complete agent snapshot, if any. */
  snapshot_id: string | null;
  /** When the newest of the side's objects was last reported. */
  last_seen_at: string | null;
  object_count: number;
  /** SHA-256 over the objects' kinds, names and content hashes. */
  objects_fingerprint: string;
}

/** A side read from the GitOps repository. */
export interface GitPromotionSide {
  type: 'git';
  environment: string | null;
  repo: string;
  ref: string;
  path: string;
  /** The commit the ref resolved to. */
  commit: string;
  layout: 'plain' | 'kustomize';
  /** Input that was read but not rendered (unsupported kustomize fields, ...). */
  warnings: string[];
  object_count: number;
  objects_fingerprint: string;
}

export type PromotionSide = ClusterPromotionSide | GitPromotionSide;

export interface PromotionWorkload {
  name: string;
  label_selector: string | null;
}

export interface PromotionCost {
  currency: 'USD';
  /** USD per month: the target as it runs now. */
  baseline: number;
  /** USD per month: the target after the promotion. */
  projected: number;
  delta: number;
  /** Delta as a percentage of the baseline; null when the baseline is 0. */
  delta_percent: number | null;
  /** Infracost-style: `+$12.40 ($40.10 -> $52.50)`. */
  text: string;
  hours_per_month: number;
  discount_percent: number;
  lines: CostLine[];
  hpa_band: HpaBand | null;
  node_rates: NodeRate[];
  warnings: CostWarning[];
}

/** The API's view of the engine's cost result. */
export function toPromotionCost(cost: CostResult): PromotionCost {
  return {
    currency: cost.currency,
    baseline: cost.baseline,
    projected: cost.projected,
    delta: cost.delta,
    delta_percent: cost.deltaPercent,
    text: cost.text,
    hours_per_month: cost.hoursPerMonth,
    discount_percent: cost.discountPercent,
    lines: cost.lines,
    hpa_band: cost.hpaBand ?? null,
    node_rates: cost.nodeRates,
    warnings: cost.warnings,
  };
}

export type ExplanationGenerator = 'deterministic' | 'llm';
/** `passed`/`failed` for LLM answers; `not-applicable` for deterministic text. */
export type NumbersCheck = 'passed' | 'failed' | 'not-applicable';

export interface PromotionExplanation {
  text: string;
  /** Who wrote the text that is shown. */
  generator: ExplanationGenerator;
  /** `openai-compatible` for an LLM answer, else null. */
  provider: string | null;
  model: string | null;
  numbers_check: NumbersCheck;
  /** Why the LLM's answer was not used, when it was not. */
  fallback_reason: string | null;
  /** SHA-256 of the facts the text was written from. */
  facts_hash: string;
  /** True when an earlier LLM answer for the same facts was reused. */
  cached: boolean;
  created_at: string;
}

/** A stored promotion without its diff: what lists show. */
export interface PromotionListItem {
  promotion_id: string;
  entity_ref: string | null;
  workload: PromotionWorkload;
  state: PromotionState;
  source: PromotionSide;
  target: PromotionSide;
  risk_level: RiskLevel;
  risk_score: number;
  estimated_cost: Pick<
    PromotionCost,
    'baseline' | 'projected' | 'delta' | 'currency'
  >;
  summary: PreviewSummary;
  /** SHA-256 of both sides' inputs, to tell later whether they moved. */
  inputs_fingerprint: string;
  created_at: string;
  created_by: string;
}

/** `POST /v1/promotions/preview` (201) and `GET /v1/promotions/:id`. */
export interface PromotionPreview
  extends Omit<PromotionListItem, 'estimated_cost'> {
  diff: DiffResult;
  estimated_cost: PromotionCost;
  risks: RiskFinding[];
  explanation: PromotionExplanation;
}

/** `GET /v1/promotions`. */
export interface PromotionList {
  items: PromotionListItem[];
  total: number;
  limit: number;
  offset: number;
}

/** `GET /v1/promotions/:id/risk`. */
export interface PromotionRisk {
  risk_level: RiskLevel;
  risk_score: number;
  risks: RiskFinding[];
}

/** Body of `POST /v1/promotions/:id/approve`. */
export const promotionApproveRequestSchema = z.strictObject({
  comment: z.string().trim().max(4000).optional(),
});
export type PromotionApproveRequest = z.infer<
  typeof promotionApproveRequestSchema
>;

/** Body of `POST /v1/promotions/:id/reject`: a rejection says why. */
export const promotionRejectRequestSchema = z.strictObject({
  comment: z
    .string({ error: 'A rejection needs a comment saying why' })
    .trim()
    .min(1, 'A rejection needs a comment saying why')
    .max(4000),
});
export type PromotionRejectRequest = z.infer<
  typeof promotionRejectRequestSchema
>;

/** Body of `PATCH /v1/promotions/:id`, the spec's form of approve and reject. */
export const promotionDecisionRequestSchema = z.discriminatedUnion(
  'action',
  [
    promotionApproveRequestSchema.extend({ action: z.literal('approve') }),
    promotionRejectRequestSchema.extend({ action: z.literal('reject') }),
  ],
  { error: "Action must be 'approve' or 'reject'" },
);
export type PromotionDecisionRequest = z.infer<
  typeof promotionDecisionRequestSchema
>;

export type PromotionDecision = 'approve' | 'reject';

/** One approval or rejection of a promotion. */
export interface PromotionApprovalEntry {
  /** User entity ref. */
  actor: string;
  decision: PromotionDecision;
  comment: string | null;
  at: string;
}

/** Where the promotion stands against its target environment's policy, for the calling user. */
export interface PromotionApprovalStatus {
  /** Approvals needed, including extra ones above the cost guardrail. */
  required: number;
  /** Distinct users who approved. */
  received: number;
  remaining: number;
  canApprove: boolean;
  /** Why the caller cannot approve now; empty when they can. */
  reasons: string[];
  /** The freeze window approvals are in, if any. */
  freezeWindow?: { name: string; endsAt: string };
}

/** One state change of a promotion. */
export interface PromotionTransition {
  from: PromotionState | null;
  to: PromotionState;
  actor: string;
  at: string;
}

/** The pull request of a promotion, as the pull-request service reported it. */
export interface PromotionPullRequest {
  id: string;
  provider: string;
  repo: string;
  baseBranch: string;
  headBranch: string;
  number?: number;
  url: string;
  state: 'open' | 'merged' | 'closed';
  headSha: string;
  mergeCommitSha?: string;
  files: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * `GET /v1/promotions/:id`, the preview's 201 and the answer of approve and
 * reject: the preview with its approval state, computed for the caller.
 */
export interface PromotionDetail extends PromotionPreview {
  approvals: PromotionApprovalEntry[];
  approval: PromotionApprovalStatus;
  /** Every state the promotion went through, oldest first. */
  history: PromotionTransition[];
  pullRequest?: PromotionPullRequest;
  /** Why the pull request of an approved promotion was not opened. */
  pullRequestError?: { message: string; at: string };
}
