import type { AgentStatus } from '@tollgate/plugin-tollgate-common';

export type ClusterHealth = 'healthy' | 'warning' | 'critical' | 'offline';

/** One row of `GET /v1/fleet/summary`. */
export interface FleetClusterSummary {
  id: string;
  name: string;
  displayName: string;
  provider: string;
  region: string;
  environment: string;
  health: ClusterHealth;
  /** Why the cluster is not healthy; empty when healthy. */
  healthReasons: string[];
  agentStatus: AgentStatus;
  lastHeartbeatAt: string | null;
  agentVersion: string | null;
  kubernetesVersion: string | null;
  /** `unknown`: nodes that report no Ready condition. */
  nodes: { total: number; ready: number; notReady: number; unknown?: number };
  workloads: number;
  /** USD per month for the cluster's nodes; null without nodes. */
  monthlyCost: number | null;
  costBasis: 'price-list' | 'defaults' | null;
}

/** `GET /v1/fleet/summary`. */
export interface FleetSummary {
  generatedAt: string;
  currency: 'USD';
  totals: Record<'total' | ClusterHealth, number>;
  clusters: FleetClusterSummary[];
}
