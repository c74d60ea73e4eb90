import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  promotionListQuerySchema,
  promotionPreviewRequestSchema,
  tollgatePromotionCreatePermission,
  tollgatePromotionReadPermission,
} from '@tollgate/plugin-tollgate-common';
import type { PromotionService } from '../services/PromotionService';
import { parse, type Authorize } from './authorize';

/** `/v1/promotions`: preview a promotion, list and read stored previews. */
export function promotionRoutes(
  authorize: Authorize,
  httpAuth: HttpAuthService,
  promotions: PromotionService,
) {
  const router = Router();

  router.post('/v1/promotions/preview', async (req, res) => {
    const context = await authorize(req, tollgatePromotionCreatePermission);
    const request = parse(
      promotionPreviewRequestSchema,
      req.body,
      'promotion preview',
    );
    // The catalog is asked on the caller's behalf, with their credentials.
    const credentials = await httpAuth.credentials(req);
    res
      .status(201)
      .json(await promotions.preview(request, { context, credentials }));
  });

  router.get('/v1/promotions', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission);
    const query = parse(promotionListQuerySchema, req.query, 'promotion query');
    res.json(await promotions.list(query));
  });

  router.get('/v1/promotions/:id', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission);
    res.json(await promotions.get(req.params.id));
  });

  router.get('/v1/promotions/:id/diff', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission);
    res.json(await promotions.getDiff(req.params.id));
  });

  router.get('/v1/promotions/:id/cost', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission);
    res.json(await promotions.getCost(req.params.id));
  });

  router.get('/v1/promotions/:id/risk', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission);
    res.json(await promotions.getRisk(req.params.id));
  });

  router.get('/v1/promotions/:id/explanation', async (req, res) => {
    await authorize(req, tollgatePromotionReadPermission);
    res.json(await promotions.getExplanation(req.params.id));
  });

  return router;
}
