// The fleet overview, `GET /v1/fleet/summary`: shared by the backend and the page.
import type { AgentStatus } from './agentProtocol';

export type ClusterHealth = 'healthy' | 'warning' | 'critical' | 'offline';

/** One row of the fleet overview. */
export interface FleetClusterSummary {
  id: string;
  name: string;
  displayName: string;
  provider: string;
  region: string;
  environment: string;
  health: ClusterHealth;
  /** Why the cluster is not healthy, in plain English; empty when healthy. */
  healthReasons: string[];
  agentStatus: AgentStatus;
  lastHeartbeatAt: string | null;
  agentVersion: string | null;
  kubernetesVersion: string | null;
  /** `unknown`: nodes that report no Ready condition. */
  nodes: { total: number; ready: number; notReady: number; unknown: number };
  workloads: number;
  /** USD per month for the cluster's nodes; null without nodes. */
  monthlyCost: number | null;
  /** `price-list` when every node type has a price, else `defaults` for some. */
  costBasis: 'price-list' | 'defaults' | null;
}

/** `GET /v1/fleet/summary`. */
export interface FleetSummary {
  generatedAt: string;
  currency: 'USD';
  totals: Record<'total' | ClusterHealth, number>;
  clusters: FleetClusterSummary[];
}
