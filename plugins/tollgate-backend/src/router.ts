import express from 'express';
import Router from 'express-promise-router';
import type {
  AuthService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { AgentService } from './services/AgentService';
import type { ClusterService } from './services/ClusterService';
import type { IngestService } from './services/IngestService';
import type { InventoryService } from './services/InventoryService';
import type { PromotionService } from './services/PromotionService';
import { agentRoutes } from './routes/agents';
import { createAuthorize } from './routes/authorize';
import { clusterRoutes } from './routes/clusters';
import { ingestRoutes } from './routes/ingest';
import { promotionRoutes } from './routes/promotions';

export interface RouterOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  clusters: ClusterService;
  agents: AgentService;
  inventory: InventoryService;
  ingest: IngestService;
  promotions: PromotionService;
}

/** The plugin's HTTP surface; each route file validates, authorizes and calls a service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.use(ingestRoutes(options.ingest));

  router.use(express.json({ limit: '256kb' }));
  const authorize = createAuthorize(options);
  router.use(clusterRoutes(authorize, options.clusters));
  router.use(agentRoutes(authorize, options.agents, options.inventory));
  router.use(promotionRoutes(authorize, options.httpAuth, options.promotions));
  return router;
}
