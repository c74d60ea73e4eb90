import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AgentInfo,
  AuditLogEntry,
  AuditLogFilter,
  AuditVerification,
  AgentTokenGrant,
  Cluster,
  ClusterCreateRequest,
  ClusterObject,
  ClusterSnapshot,
  ClusterUpdateRequest,
  HelmRelease,
  PromotionList,
  PromotionPreviewRequest,
} from '@tollgate/plugin-tollgate-common';
import type { FleetSummary } from '@tollgate/plugin-tollgate-common';
import type { PromotionDetails, PromotionFilter } from './promotionTypes';

export interface ObjectFilter {
  kind?: string;
  namespace?: string;
  labelSelector?: string;
}

/** What the Tollgate pages ask of the backend. */
export interface TollgateApi {
  listClusters(): Promise<Cluster[]>;
  getCluster(id: string): Promise<Cluster>;
  createCluster(request: ClusterCreateRequest): Promise<Cluster>;
  updateCluster(id: string, request: ClusterUpdateRequest): Promise<Cluster>;
  deleteCluster(id: string): Promise<void>;

  getAgentInfo(clusterId: string): Promise<AgentInfo>;
  /** Creates or rotates the agent token; the token is only ever returned here. */
  issueAgentToken(clusterId: string): Promise<AgentTokenGrant>;
  revokeAgentToken(clusterId: string): Promise<void>;
  listObjects(
    clusterId: string,
    filter?: ObjectFilter,
  ): Promise<ClusterObject[]>;
  listSnapshots(clusterId: string): Promise<ClusterSnapshot[]>;
  listHelmReleases(clusterId: string): Promise<HelmRelease[]>;
  /** Base URL agents push to, for the install command. */
  getBackendUrl(): Promise<string>;

  /** Computes and stores a promotion preview (`POST /v1/promotions/preview`). */
  previewPromotion(request: PromotionPreviewRequest): Promise<PromotionDetails>;
  listPromotions(filter?: PromotionFilter): Promise<PromotionList>;
  getPromotion(id: string): Promise<PromotionDetails>;
  approvePromotion(id: string, comment?: string): Promise<PromotionDetails>;
  rejectPromotion(id: string, comment?: string): Promise<PromotionDetails>;
  /** Opens the pull request of an approved promotion again, after it failed. */
  retryPullRequest(id: string): Promise<PromotionDetails>;

  /** Health, nodes, workloads and cost of every cluster (`GET /v1/fleet/summary`). */
  getFleetSummary(): Promise<FleetSummary>;

  /** One page of the audit log, newest first. */
  listAuditLogs(
    filter?: AuditLogFilter & { limit?: number; offset?: number },
  ): Promise<AuditLogPage>;
  /** Walks the hash chain (`GET /v1/audit/verify`). */
  verifyAuditLog(): Promise<AuditVerification>;
  /**
   * The filtered log as a CSV or JSON file, fetched with the user's
   * credentials (a plain link would not carry them).
   */
  exportAuditLog(
    format: 'csv' | 'json',
    filter?: AuditLogFilter,
  ): Promise<{ blob: Blob; filename: string }>;
}

export interface AuditLogPage {
  items: AuditLogEntry[];
  total: number;
  limit: number;
  offset: number;
}

export const tollgateApiRef = createApiRef<TollgateApi>({
  id: 'plugin.tollgate.api',
});
