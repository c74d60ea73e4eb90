import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  promotionListQuerySchema,
  promotionPreviewRequestSchema,
  tollgatePromotionCreatePermission,
  tollgatePromotionReadPermission,
} from '@tollgate/plugin-tollgate-common';
import type { ApprovalService } from '../services/ApprovalService';
import type { PromotionService } from '../services/PromotionService';
import { parse, type Authorize } from './authorize';
import { createApprovePermissionCheck } from './promotionApprovals';

/** `/v1/promotions`: preview a promotion, list and read stored previews. */
export function promotionRoutes(
  authorize: Authorize,
  httpAuth: HttpAuthService,
  promotions: PromotionService,
  approvals: ApprovalService,
) {
  const router = Router();
  const load = (id: string) => () => promotions.getListItem(id);
  const mayApprove = createApprovePermissionCheck(authorize, promotions);

  router.post('/v1/promotions/preview', async (req, res) => {
    const context = await authorize(req, tollgatePromotionCreatePermission);
    const request = parse(
      promotionPreviewRequestSchema,
      req.body,
      'promotion preview',
    );
    // The catalog is asked on the caller's behalf, with their credentials.
    const caller = { context, credentials: await httpAuth.credentials(req) };
    const preview = await promotions.preview(request, caller);
    // Older previews of the workload and target are superseded; the answer
    // is the new promotion with its approval state, as GET shows it.
    const id = preview.promotion_id;
    const permitted = await mayApprove(req, id);
    res.status(201).json(await approvals.afterPreview(id, caller, permitted));
  });

  router.get('/v1/promotions', async (req, res) => {
    const { filter } = await authorize.filter(
      req,
      tollgatePromotionReadPermission,
    );
    const query = parse(promotionListQuerySchema, req.query, 'promotion query');
    res.json(await promotions.list(query, filter));
  });

  router.get('/v1/promotions/:id', async (req, res) => {
    const context = await authorize(
      req,
      tollgatePromotionReadPermission,
      load(req.params.id),
    );
    // With approvals, history and whether the caller may approve.
    const caller = { context, credentials: await httpAuth.credentials(req) };
    const permitted = await mayApprove(req, req.params.id);
    res.json(await approvals.describe(req.params.id, caller, permitted));
  });

  router.get('/v1/promotions/:id/diff', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission, load(req.params.id));
    res.json(await promotions.getDiff(req.params.id));
  });

  router.get('/v1/promotions/:id/cost', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission, load(req.params.id));
    res.json(await promotions.getCost(req.params.id));
  });

  router.get('/v1/promotions/:id/risk', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission, load(req.params.id));
    res.json(await promotions.getRisk(req.params.id));
  });

  router.get('/v1/promotions/:id/explanation', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission, load(req.params.id));
    res.json(await promotions.getExplanation(req.params.id));
  });

  return router;
}
