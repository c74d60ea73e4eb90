import type {
  PromotionApprovalEntry,
  PromotionApprovalStatus,
  PromotionListItem,
} from '@tollgate/plugin-tollgate-common';
import {
  normalizeRef,
  type ApprovalPolicy,
  type ApprovalRequirement,
} from './ApprovalPolicy';
import { activeFreeze, formatInZone, type ActiveFreeze } from './freezeWindows';

/** The calling user, as approval rules see them. */
export interface Approver {
  userEntityRef: string;
  /** The user and the groups they belong to. */
  ownershipEntityRefs: string[];
}

/** Why a caller may not approve: who they are (403) or when and what (409). */
export interface Refusal {
  kind: 'who' | 'when';
  message: string;
}

export interface ApprovalFacts {
  promotion: PromotionListItem;
  policy: ApprovalPolicy;
  requirement: ApprovalRequirement;
  approvals: PromotionApprovalEntry[];
  /** Undefined when the caller is not a user. */
  approver?: Approver;
  /** Whether the permission policy lets the caller approve this promotion. */
  permitted: boolean;
  /** What changed since the preview; checked only while it awaits approval. */
  staleChanges: string[];
  /** A preview of the same workload and target made later, if any. */
  newerPreview?: { id: string; createdAt: string };
  now: Date;
}

/** Distinct users who approved. */
export function approvedBy(approvals: PromotionApprovalEntry[]): string[] {
  return [
    ...new Set(
      approvals.filter(a => a.decision === 'approve').map(a => a.actor),
    ),
  ];
}

/** Whether the policy lists the user or one of their groups (any user when it lists none). */
export function isListedApprover(
  policy: ApprovalPolicy,
  approver: Approver,
): boolean {
  if (policy.approvers.length === 0) return true;
  const refs = [approver.userEntityRef, ...approver.ownershipEntityRefs].map(
    normalizeRef,
  );
  return refs.some(ref => ref !== undefined && policy.approvers.includes(ref));
}

/** Every reason the caller cannot approve now, and the freeze window in force. */
export function approvalRefusals(facts: ApprovalFacts): {
  refusals: Refusal[];
  freeze?: ActiveFreeze;
} {
  const freeze = activeFreeze(facts.policy.freezeWindows, facts.now);
  const refusals = [
    ...stateRefusals(facts),
    ...identityRefusals(facts),
    ...(freeze ? [freezeRefusal(facts, freeze)] : []),
    ...staleRefusals(facts),
    ...supersededRefusals(facts),
  ];
  return { refusals, freeze };
}

/** The `approval` block of a promotion, for the caller. */
export function approvalStatus(facts: ApprovalFacts): PromotionApprovalStatus {
  const { refusals, freeze } = approvalRefusals(facts);
  const received = approvedBy(facts.approvals).length;
  const { required } = facts.requirement;
  return {
    required,
    received,
    remaining: Math.max(0, required - received),
    canApprove: refusals.length === 0,
    reasons: refusals.map(refusal => refusal.message),
    ...(freeze
      ? {
          freezeWindow: {
            name: freeze.name,
            endsAt: freeze.endsAt.toISOString(),
          },
        }
      : {}),
  };
}

function stateRefusals({ promotion }: ApprovalFacts): Refusal[] {
  if (promotion.state === 'previewed') return [];
  return [
    {
      kind: 'when',
      message: `The promotion is ${promotion.state.replace(
        '_',
        ' ',
      )}; only a previewed promotion can be approved`,
    },
  ];
}

function identityRefusals(facts: ApprovalFacts): Refusal[] {
  const { approver, policy, promotion } = facts;
  if (!approver) {
    return [{ kind: 'who', message: 'Only users can approve promotions' }];
  }
  const refusals: Refusal[] = [];
  const environment = environmentName(facts);
  if (!facts.permitted) {
    refusals.push({
      kind: 'who',
      message: `You do not have the tollgate.promotion.approve permission for ${environment}`,
    });
  }
  if (
    !policy.allowSelfApproval &&
    promotion.created_by === approver.userEntityRef
  ) {
    refusals.push({
      kind: 'who',
      message: `You previewed this promotion, and ${environment} does not allow approving your own`,
    });
  }
  if (!isListedApprover(policy, approver)) {
    refusals.push({
      kind: 'who',
      message: `You are not an approver for ${environment}; approvers are ${policy.approvers.join(
        ', ',
      )}`,
    });
  }
  const earlier = facts.approvals.find(
    a => a.decision === 'approve' && a.actor === approver.userEntityRef,
  );
  if (earlier) {
    refusals.push({
      kind: 'when',
      message: `You already approved this promotion at ${earlier.at}; an approval counts once per user`,
    });
  }
  return refusals;
}

function freezeRefusal(facts: ApprovalFacts, freeze: ActiveFreeze): Refusal {
  const window = facts.policy.freezeWindows.find(w => w.name === freeze.name)!;
  return {
    kind: 'when',
    message: `Approvals for ${environmentName(facts)} are frozen by '${
      freeze.name
    }' until ${formatInZone(
      freeze.endsAt,
      window.timezone,
    )} (${freeze.endsAt.toISOString()})`,
  };
}

function staleRefusals({ staleChanges }: ApprovalFacts): Refusal[] {
  if (staleChanges.length === 0) return [];
  return [
    {
      kind: 'when',
      message: `The preview is out of date: ${staleChanges.join(
        '; ',
      )}. Run the preview again and approve the new one`,
    },
  ];
}

function supersededRefusals({ newerPreview }: ApprovalFacts): Refusal[] {
  if (!newerPreview) return [];
  return [
    {
      kind: 'when',
      message: `A newer preview of the same workload and target exists (${newerPreview.id}, ${newerPreview.createdAt}); approve that one`,
    },
  ];
}

function environmentName({ promotion }: ApprovalFacts): string {
  const environment = promotion.target.environment;
  return environment ? `environment ${environment}` : 'this target';
}
