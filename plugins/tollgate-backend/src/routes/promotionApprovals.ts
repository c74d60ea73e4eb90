import type { Request } from 'express';
import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  promotionApproveRequestSchema,
  promotionDecisionRequestSchema,
  promotionRejectRequestSchema,
  tollgatePromotionApprovePermission,
} from '@tollgate/plugin-tollgate-common';
import type { ApprovalService } from '../services/ApprovalService';
import type { Caller, PromotionService } from '../services/PromotionService';
import { parse, type Authorize } from './authorize';

/**
 * `/v1/promotions/:id/approve` and `/reject`, the spec's
 * `PATCH /v1/promotions/:id` with `{ action }` as their alias, and a retry
 * of a pull request that failed to open.
 */
export function promotionApprovalRoutes(
  authorize: Authorize,
  httpAuth: HttpAuthService,
  promotions: PromotionService,
  approvals: ApprovalService,
) {
  const router = Router();

  /** Checks the approve permission on the promotion, and says who calls. */
  const approver = async (req: Request): Promise<Caller> => {
    const id = req.params.id;
    const context = await authorize(
      req,
      tollgatePromotionApprovePermission,
      () => promotions.getListItem(id),
    );
    return { context, credentials: await httpAuth.credentials(req) };
  };

  router.post('/v1/promotions/:id/approve', async (req, res) => {
    const caller = await approver(req);
    const request = parse(promotionApproveRequestSchema, req.body, 'approval');
    res.json(await approvals.approve(req.params.id, request, caller));
  });

  router.post('/v1/promotions/:id/reject', async (req, res) => {
    const caller = await approver(req);
    const request = parse(promotionRejectRequestSchema, req.body, 'rejection');
    res.json(await approvals.reject(req.params.id, request, caller));
  });

  /** Retries opening the pull request of an approved promotion. */
  router.post('/v1/promotions/:id/pull-request', async (req, res) => {
    const caller = await approver(req);
    res.json(await approvals.retryPullRequest(req.params.id, caller));
  });

  router.patch('/v1/promotions/:id', async (req, res) => {
    const caller = await approver(req);
    const request = parse(
      promotionDecisionRequestSchema,
      req.body,
      'promotion decision',
    );
    res.json(await approvals.decide(req.params.id, request, caller));
  });

  return router;
}

/**
 * Whether the permission policy lets the caller approve a promotion, for
 * the `approval.canApprove` of what they read; never throws a refusal.
 */
export function createApprovePermissionCheck(
  authorize: Authorize,
  promotions: PromotionService,
) {
  return (req: Request, id: string): Promise<boolean> =>
    authorize(req, tollgatePromotionApprovePermission, () =>
      promotions.getListItem(id),
    ).then(
      () => true,
      error => {
        if ((error as Error).name === 'NotAllowedError') return false;
        throw error;
      },
    );
}
