import type {
  AuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  PROMOTION_STATES,
  type PromotionApproveRequest,
  type PromotionDecisionRequest,
  type PromotionDetail,
  type PromotionListItem,
  type PromotionRejectRequest,
  type PromotionSide,
  type PromotionState,
  type PromotionTransition,
} from '@tollgate/plugin-tollgate-common';
import type {
  PromotionStateSink,
  PullRequestOpener,
  PullRequestRecord,
} from '../pullRequests/types';
import type { PromotionEvent } from '../stores/PromotionFlowStore';
import type { TollgateStores } from '../stores/TollgateStores';
import {
  requiredApprovals,
  type ApprovalPolicies,
  type ApprovalPolicy,
} from './ApprovalPolicy';
import {
  approvalRefusals,
  approvalStatus,
  approvedBy,
  isListedApprover,
  type ApprovalFacts,
  type Approver,
  type Refusal,
} from './approvalChecks';
import type { AuditService, RequestContext } from './AuditService';
import type { PreviewFreshness } from './PreviewFreshness';
import { PromotionPullRequests } from './PromotionPullRequests';
import type { Caller, PromotionService } from './PromotionService';
import { canMove, PromotionTransitions } from './PromotionTransitions';

export interface ApprovalServiceOptions {
  stores: TollgateStores;
  audit: AuditService;
  auth: AuthService;
  userInfo: UserInfoService;
  promotions: PromotionService;
  policies: ApprovalPolicies;
  freshness: PreviewFreshness;
  /** Opens the pull request once approved; without it approvals stop at `approved`. */
  opener?: PullRequestOpener;
  clock?: () => Date;
}

/** States a newer preview of the same workload and target replaces. */
const REPLACEABLE = ['previewed', 'approved'] as const;

/**
 * The promotion state machine: approvals against the target environment's
 * policy (quorum, approvers, no self-approval, freeze windows, cost
 * guardrail, fresh inputs), rejection, superseding, and the pull request
 * that follows the last approval.
 */
export class ApprovalService implements PromotionStateSink {
  private readonly stores: TollgateStores;
  private readonly transitions: PromotionTransitions;
  private readonly pullRequests: PromotionPullRequests;
  private readonly clock: () => Date;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.stores = options.stores;
    this.clock = options.clock ?? (() => new Date());
    this.transitions = new PromotionTransitions(options.audit, this.clock);
    this.pullRequests = new PromotionPullRequests(
      options.stores,
      this.transitions,
      this.clock,
      options.opener,
    );
  }

  /**
   * The promotion with its approvals, history and pull request, for the
   * caller; `permitted` says whether the permission policy lets them approve.
   */
  async describe(
    id: string,
    caller: Caller,
    permitted = true,
  ): Promise<PromotionDetail> {
    const preview = await this.options.promotions.get(id);
    const facts = await this.factsFor(preview, caller, permitted);
    const events = await this.stores.promotionFlow.listEvents(id);
    return {
      ...preview,
      approvals: facts.approvals,
      approval: approvalStatus(facts),
      history: historyOf(preview, events),
      ...(await this.pullRequests.of(id, preview.state)),
    };
  }

  async decide(
    id: string,
    request: PromotionDecisionRequest,
    caller: Caller,
  ): Promise<PromotionDetail> {
    if (request.action === 'approve') {
      return this.approve(id, { comment: request.comment }, caller);
    }
    return this.reject(id, { comment: request.comment }, caller);
  }

  /**
   * Records the caller's approval; the last one required moves the
   * promotion to approved and opens its pull request.
   */
  async approve(
    id: string,
    request: PromotionApproveRequest,
    caller: Caller,
  ): Promise<PromotionDetail> {
    const promotion = await this.promotionItem(id);
    await this.refuseIfSuperseded(promotion, caller.context);
    const facts = await this.factsFor(promotion, caller);
    throwRefusals(approvalRefusals(facts).refusals);
    const completed = await this.stores.transaction(stores =>
      this.recordApproval(stores, facts, request.comment, caller.context),
    );
    if (completed) await this.pullRequests.open(id, caller.context);
    return this.describe(id, caller);
  }

  /**
   * Opens the pull request of an approved promotion again, after the first
   * attempt failed (a push refused, the Git host down).
   */
  async retryPullRequest(id: string, caller: Caller): Promise<PromotionDetail> {
    const promotion = await this.promotionItem(id);
    refuseUnlessAuthorOrApprover(
      this.policyOf(promotion),
      promotion,
      await this.approverOf(caller),
      'open the pull request of',
    );
    if (promotion.state !== 'approved') {
      throw new ConflictError(
        `The promotion is ${promotion.state}; only an approved promotion whose pull request failed to open can retry it`,
      );
    }
    await this.pullRequests.open(id, caller.context);
    return this.describe(id, caller);
  }

  /** Ends the promotion; its approvers and its author may reject it. */
  async reject(
    id: string,
    request: PromotionRejectRequest,
    caller: Caller,
  ): Promise<PromotionDetail> {
    const promotion = await this.promotionItem(id);
    const approver = await this.approverOf(caller);
    refuseUnlessAuthorOrApprover(
      this.policyOf(promotion),
      promotion,
      approver,
      'reject',
    );
    await this.stores.transaction(stores =>
      this.recordRejection(stores, id, request.comment, approver!, caller),
    );
    return this.describe(id, caller);
  }

  /** After a new preview: supersedes older ones, and answers the new one for the caller. */
  async afterPreview(
    id: string,
    caller: Caller,
    permitted = true,
  ): Promise<PromotionDetail> {
    await this.supersedeOlder(id, caller.context);
    return this.describe(id, caller, permitted);
  }

  /** Older open previews of the same workload and target become superseded. */
  async supersedeOlder(id: string, context: RequestContext): Promise<void> {
    const promotion = await this.promotionItem(id);
    const older = (await this.siblingsOf(promotion)).filter(
      sibling => sibling.createdAt <= promotion.created_at,
    );
    if (older.length === 0) return;
    await this.stores.transaction(async stores => {
      await this.transitions.lockAll(
        stores,
        older.map(sibling => sibling.id),
      );
      for (const sibling of older) {
        // It may have moved on (pr_open) since it was listed.
        const state = await this.transitions.lock(stores, sibling.id);
        if (!isReplaceable(state)) continue;
        await this.transitions.move(stores, sibling.id, 'superseded', context, {
          supersededBy: id,
        });
      }
    });
  }

  pullRequestChanged(
    record: PullRequestRecord,
    context: RequestContext,
  ): Promise<void> {
    return this.pullRequests.pullRequestChanged(record, context);
  }

  /** @returns whether this approval completed the quorum */
  private async recordApproval(
    stores: TollgateStores,
    facts: ApprovalFacts,
    comment: string | undefined,
    context: RequestContext,
  ): Promise<boolean> {
    const id = facts.promotion.promotion_id;
    const actor = facts.approver!.userEntityRef;
    const state = await this.transitions.lock(stores, id);
    const approvals = await stores.promotionFlow.listApprovals(id);
    if (state !== 'previewed' || approvedBy(approvals).includes(actor)) {
      throw new ConflictError(
        `Promotion ${id} changed while you approved it; reload it and try again`,
      );
    }
    await stores.promotionFlow.insertApproval(
      {
        promotionId: id,
        actor,
        decision: 'approve',
        comment: comment ?? null,
        requestId: context.requestId,
      },
      this.clock(),
    );
    const received = approvedBy(approvals).length + 1;
    const { required, guardrail } = facts.requirement;
    const details = {
      comment: comment ?? null,
      received,
      required,
      ...(guardrail ? { guardrail } : {}),
    };
    if (received >= required) {
      await this.transitions.move(stores, id, 'approved', context, details);
      return true;
    }
    await this.options.audit.record(stores, context, {
      action: 'promotion.approve',
      targetType: 'promotion',
      targetId: id,
      details: { ...details, state: 'previewed' },
    });
    return false;
  }

  private async recordRejection(
    stores: TollgateStores,
    id: string,
    comment: string,
    approver: Approver,
    caller: Caller,
  ): Promise<void> {
    const state = await this.transitions.lock(stores, id);
    if (!canMove(state, 'rejected')) {
      throw new ConflictError(
        `Promotion ${id} is ${state}; only a previewed or approved promotion can be rejected`,
      );
    }
    await stores.promotionFlow.insertApproval(
      {
        promotionId: id,
        actor: approver.userEntityRef,
        decision: 'reject',
        comment,
        requestId: caller.context.requestId,
      },
      this.clock(),
    );
    await this.transitions.move(stores, id, 'rejected', caller.context, {
      comment,
    });
  }

  /** A newer preview exists: this one becomes superseded, and approving it is refused. */
  private async refuseIfSuperseded(
    promotion: PromotionListItem,
    context: RequestContext,
  ): Promise<void> {
    if (!isReplaceable(promotion.state)) return;
    const newest = await this.newerPreviewOf(promotion);
    if (!newest) return;
    await this.stores.transaction(stores =>
      this.transitions.move(
        stores,
        promotion.promotion_id,
        'superseded',
        context,
        { supersededBy: newest.id },
      ),
    );
    throw new ConflictError(
      `Promotion ${promotion.promotion_id} is superseded by the newer preview ${newest.id} (${newest.createdAt}) of the same workload and target; approve that one`,
    );
  }

  /** The newest preview of the same workload and target made after this one. */
  private async newerPreviewOf(promotion: PromotionListItem) {
    return (await this.siblingsOf(promotion, true))
      .filter(sibling => sibling.createdAt > promotion.created_at)
      .at(-1);
  }

  /** Promotions of the same workload into the same target, oldest first. */
  private async siblingsOf(promotion: PromotionListItem, anyState = false) {
    const siblings = await this.stores.promotionFlow.listSiblings(
      {
        id: promotion.promotion_id,
        entityRef: promotion.entity_ref,
        workloadName: promotion.workload.name,
        targetEnvironment: promotion.target.environment,
      },
      anyState ? PROMOTION_STATES : REPLACEABLE,
    );
    return siblings.filter(sibling =>
      sameTarget(sibling.target, promotion.target),
    );
  }

  private async factsFor(
    promotion: PromotionListItem,
    caller: Caller,
    permitted = true,
  ): Promise<ApprovalFacts> {
    const id = promotion.promotion_id;
    const policy = this.policyOf(promotion);
    const cost = await this.options.promotions.getCost(id);
    const awaitsApproval = promotion.state === 'previewed';
    return {
      promotion,
      policy,
      requirement: requiredApprovals(policy, {
        delta: cost.delta,
        deltaPercent: cost.delta_percent,
      }),
      approvals: await this.stores.promotionFlow.listApprovals(id),
      approver: await this.approverOf(caller),
      permitted,
      staleChanges: awaitsApproval
        ? await this.options.freshness.changes(promotion)
        : [],
      newerPreview: awaitsApproval
        ? await this.newerPreviewOf(promotion)
        : undefined,
      now: this.clock(),
    };
  }

  private policyOf(promotion: PromotionListItem): ApprovalPolicy {
    return this.options.policies.forEnvironment(promotion.target.environment);
  }

  private async approverOf(caller: Caller): Promise<Approver | undefined> {
    if (!this.options.auth.isPrincipal(caller.credentials, 'user')) {
      return undefined;
    }
    const info = await this.options.userInfo.getUserInfo(caller.credentials);
    return {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  }

  private async promotionItem(id: string): Promise<PromotionListItem> {
    const promotion = await this.stores.promotions.get(id);
    if (!promotion) throw new NotFoundError(`No promotion with id '${id}'`);
    return promotion;
  }
}

function isReplaceable(state: PromotionState): boolean {
  return (REPLACEABLE as readonly PromotionState[]).includes(state);
}

/** Who refusals (403) win over when refusals (409); every reason is named. */
function throwRefusals(refusals: Refusal[]): void {
  if (refusals.length === 0) return;
  const message = refusals.map(refusal => refusal.message).join('; ');
  if (refusals.some(refusal => refusal.kind === 'who')) {
    throw new NotAllowedError(message);
  }
  throw new ConflictError(message);
}

/** Its approvers and its author may reject a promotion. */
/** Rejecting, or retrying a pull request, is for the author and the approvers. */
function refuseUnlessAuthorOrApprover(
  policy: ApprovalPolicy,
  promotion: PromotionListItem,
  approver: Approver | undefined,
  action: 'reject' | 'open the pull request of',
): void {
  if (!approver) {
    throw new NotAllowedError(`Only users can ${action} promotions`);
  }
  if (
    promotion.created_by === approver.userEntityRef ||
    isListedApprover(policy, approver)
  ) {
    return;
  }
  throw new NotAllowedError(
    `Only the author or an approver of ${targetName(
      promotion,
    )} may ${action} this promotion; approvers are ${policy.approvers.join(
      ', ',
    )}`,
  );
}

/** Same environment is enough; without one, the same cluster namespace or Git folder. */
function sameTarget(a: PromotionSide, b: PromotionSide): boolean {
  if (a.environment !== null || b.environment !== null) {
    return a.environment === b.environment;
  }
  if (a.type === 'cluster' && b.type === 'cluster') {
    return a.cluster_id === b.cluster_id && a.namespace === b.namespace;
  }
  if (a.type === 'git' && b.type === 'git') {
    return a.repo === b.repo && a.path === b.path && a.ref === b.ref;
  }
  return false;
}

function targetName(promotion: PromotionListItem): string {
  const environment = promotion.target.environment;
  return environment ? `environment ${environment}` : 'this target';
}

function historyOf(
  promotion: PromotionListItem,
  events: PromotionEvent[],
): PromotionTransition[] {
  return [
    {
      from: null,
      to: 'previewed',
      actor: promotion.created_by,
      at: promotion.created_at,
    },
    ...events
      .filter(event => event.toState !== null)
      .map(event => ({
        from: event.fromState,
        to: event.toState!,
        actor: event.actor,
        at: event.occurredAt,
      })),
  ];
}
