import express from 'express';
import Router from 'express-promise-router';
import type {
  AuthService,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { AgentService } from './services/AgentService';
import type { ApprovalService } from './services/ApprovalService';
import type { AuditLogService } from './services/AuditLogService';
import type { ClusterService } from './services/ClusterService';
import type { FleetService } from './services/FleetService';
import type { IngestService } from './services/IngestService';
import type { InventoryService } from './services/InventoryService';
import type { PromotionService } from './services/PromotionService';
import {
  pullRequestRoutes,
  pullRequestWebhookRoutes,
  type PullRequestService,
  type WebhookSecrets,
} from './pullRequests';
import { agentRoutes } from './routes/agents';
import { auditRoutes } from './routes/audit';
import { createAuthorize } from './routes/authorize';
import { clusterRoutes } from './routes/clusters';
import { fleetRoutes } from './routes/fleet';
import { ingestRoutes } from './routes/ingest';
import { promotionApprovalRoutes } from './routes/promotionApprovals';
import { promotionRoutes } from './routes/promotions';

export interface RouterOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  clusters: ClusterService;
  agents: AgentService;
  inventory: InventoryService;
  ingest: IngestService;
  promotions: PromotionService;
  approvals: ApprovalService;
  auditLog: AuditLogService;
  /** Pull requests (`/v1/git/...`); left out when absent. */
  pullRequests?: PullRequestService;
  webhookSecrets?: WebhookSecrets;
  /** The fleet overview (`/v1/fleet`); left out when absent. */
  fleet?: FleetService;
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
  // Signed by the Git host over the raw body, so before the JSON parser.
  if (options.pullRequests) {
    router.use(
      pullRequestWebhookRoutes(
        options.pullRequests,
        options.webhookSecrets ?? {},
      ),
    );
  }

  router.use(express.json({ limit: '256kb' }));
  const authorize = createAuthorize(options);
  router.use(clusterRoutes(authorize, options.clusters));
  router.use(
    agentRoutes(authorize, options.clusters, options.agents, options.inventory),
  );
  router.use(
    promotionRoutes(
      authorize,
      options.httpAuth,
      options.promotions,
      options.approvals,
    ),
  );
  router.use(
    promotionApprovalRoutes(
      authorize,
      options.httpAuth,
      options.promotions,
      options.approvals,
    ),
  );
  router.use(auditRoutes(authorize, options.auditLog));
  if (options.pullRequests) {
    router.use(
      pullRequestRoutes(authorize, options.pullRequests, id =>
        options.promotions.getListItem(id),
      ),
    );
  }
  if (options.fleet) router.use(fleetRoutes(authorize, options.fleet));
  return router;
}
