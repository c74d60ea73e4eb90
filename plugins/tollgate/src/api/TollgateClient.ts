import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AgentInfo,
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
import type { AuditLogPage, ObjectFilter, TollgateApi } from './TollgateApi';
import type { FleetSummary } from '@tollgate/plugin-tollgate-common';
import type { PromotionDetails, PromotionFilter } from './promotionTypes';

type Items<T> = { items: T[] };
const clusterPath = (id: string) => `/v1/clusters/${encodeURIComponent(id)}`;
const promotionPath = (id: string) =>
  `/v1/promotions/${encodeURIComponent(id)}`;

function queryString(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** {@link TollgateApi} over HTTP, through Backstage's discovery and fetch APIs. */
export class TollgateClient implements TollgateApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async listClusters(): Promise<Cluster[]> {
    const { items } = await this.request<{ items: Cluster[] }>('/v1/clusters');
    return items;
  }

  getCluster(id: string): Promise<Cluster> {
    return this.request(clusterPath(id));
  }

  createCluster(request: ClusterCreateRequest): Promise<Cluster> {
    return this.request('/v1/clusters', { method: 'POST', body: request });
  }

  updateCluster(id: string, request: ClusterUpdateRequest): Promise<Cluster> {
    return this.request(clusterPath(id), {
      method: 'PATCH',
      body: request,
    });
  }

  async deleteCluster(id: string): Promise<void> {
    await this.request(clusterPath(id), {
      method: 'DELETE',
    });
  }

  getAgentInfo(clusterId: string): Promise<AgentInfo> {
    return this.request(`${clusterPath(clusterId)}/agent-status`);
  }

  issueAgentToken(clusterId: string): Promise<AgentTokenGrant> {
    return this.request(`${clusterPath(clusterId)}/agent-token`, {
      method: 'POST',
    });
  }

  async revokeAgentToken(clusterId: string): Promise<void> {
    await this.request(`${clusterPath(clusterId)}/agent-token`, {
      method: 'DELETE',
    });
  }

  async listObjects(
    clusterId: string,
    filter: ObjectFilter = {},
  ): Promise<ClusterObject[]> {
    const query = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] =>
        Boolean(e[1]),
      ),
    ).toString();
    const path = `${clusterPath(clusterId)}/objects${query ? `?${query}` : ''}`;
    return (await this.request<Items<ClusterObject>>(path)).items;
  }

  async listSnapshots(clusterId: string): Promise<ClusterSnapshot[]> {
    return (
      await this.request<Items<ClusterSnapshot>>(
        `${clusterPath(clusterId)}/snapshots`,
      )
    ).items;
  }

  async listHelmReleases(clusterId: string): Promise<HelmRelease[]> {
    return (
      await this.request<Items<HelmRelease>>(
        `${clusterPath(clusterId)}/helm-releases`,
      )
    ).items;
  }

  previewPromotion(
    request: PromotionPreviewRequest,
  ): Promise<PromotionDetails> {
    return this.request('/v1/promotions/preview', {
      method: 'POST',
      body: request,
    });
  }

  listPromotions(filter: PromotionFilter = {}): Promise<PromotionList> {
    return this.request(`/v1/promotions${queryString(filter)}`);
  }

  getPromotion(id: string): Promise<PromotionDetails> {
    return this.request(promotionPath(id));
  }

  approvePromotion(id: string, comment?: string): Promise<PromotionDetails> {
    return this.request(`${promotionPath(id)}/approve`, {
      method: 'POST',
      body: comment ? { comment } : {},
    });
  }

  rejectPromotion(id: string, comment?: string): Promise<PromotionDetails> {
    return this.request(`${promotionPath(id)}/reject`, {
      method: 'POST',
      body: comment ? { comment } : {},
    });
  }

  retryPullRequest(id: string): Promise<PromotionDetails> {
    return this.request(`${promotionPath(id)}/pull-request`, {
      method: 'POST',
      body: {},
    });
  }

  getFleetSummary(): Promise<FleetSummary> {
    return this.request('/v1/fleet/summary');
  }

  listAuditLogs(
    filter: AuditLogFilter & { limit?: number; offset?: number } = {},
  ): Promise<AuditLogPage> {
    return this.request(`/v1/audit/logs${queryString(filter)}`);
  }

  verifyAuditLog(): Promise<AuditVerification> {
    return this.request('/v1/audit/verify');
  }

  async exportAuditLog(
    format: 'csv' | 'json',
    filter: AuditLogFilter = {},
  ): Promise<{ blob: Blob; filename: string }> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('tollgate');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/v1/audit/export${queryString({ ...filter, format })}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename =
      /filename="?([^";]+)"?/.exec(disposition)?.[1] ??
      `tollgate-audit.${format}`;
    return { blob: await response.blob(), filename };
  }

  getBackendUrl(): Promise<string> {
    return this.options.discoveryApi.getBaseUrl('tollgate');
  }

  private async request<T>(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('tollgate');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers:
        init.body === undefined
          ? undefined
          : { 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}
