import Router from 'express-promise-router';
import { tollgateClusterReadPermission } from '@tollgate/plugin-tollgate-common';
import type { FleetService } from '../services/FleetService';
import type { Authorize } from './authorize';

/** `/v1/fleet`: the fleet overview, limited to the clusters the caller may read. */
export function fleetRoutes(authorize: Authorize, fleet: FleetService) {
  const router = Router();

  router.get('/v1/fleet/summary', async (req, res) => {
    const { filter } = await authorize.filter(
      req,
      tollgateClusterReadPermission,
    );
    res.json(await fleet.summary(filter));
  });

  return router;
}
