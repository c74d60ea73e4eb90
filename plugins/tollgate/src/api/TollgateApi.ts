import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AgentInfo,
  AgentTokenGrant,
  Cluster,
  ClusterCreateRequest,
  ClusterObject,
  ClusterSnapshot,
  ClusterUpdateRequest,
  HelmRelease,
} from '@tollgate/plugin-tollgate-common';

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
}

export const tollgateApiRef = createApiRef<TollgateApi>({
  id: 'plugin.tollgate.api',
});
