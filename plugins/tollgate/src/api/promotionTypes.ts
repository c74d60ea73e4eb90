import type {
  PromotionDetail,
  PromotionListQuery,
} from '@tollgate/plugin-tollgate-common';

export type {
  PromotionApprovalEntry,
  PromotionApprovalStatus,
  PromotionPullRequest,
} from '@tollgate/plugin-tollgate-common';

/** Query of `GET /v1/promotions`; every field optional. */
export type PromotionFilter = Partial<PromotionListQuery>;

/**
 * A stored promotion as `GET /v1/promotions/:id` returns it. The approval
 * fields are optional here so the views degrade gracefully against a
 * backend (or an older stored answer) without them.
 */
export type PromotionDetails = Omit<
  PromotionDetail,
  'approvals' | 'approval' | 'history'
> &
  Partial<Pick<PromotionDetail, 'approvals' | 'approval' | 'history'>>;
