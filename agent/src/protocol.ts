/**
 * The agent's side of the wire contract with the backend's ingest endpoints.
 *
 * Source of truth: plugins/tollgate-common/src/agentProtocol.ts. The agent is a
 * separate package that cannot import it, so these types mirror it; change
 * both together.
 */

export const AGENT_KINDS = [
  'Namespace',
  'Node',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'Service',
  'Ingress',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ResourceQuota',
  'LimitRange',
  'ConfigMap',
  'ServiceAccount',
  'Event',
  'NodeMetrics',
  'PodMetrics',
  'PolicyReport',
  'ClusterPolicyReport',
] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

export function isAgentKind(kind: unknown): kind is AgentKind {
  return (
    typeof kind === 'string' &&
    (AGENT_KINDS as readonly string[]).includes(kind)
  );
}

export interface ProjectedMetadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface ProjectedObject {
  apiVersion: string;
  kind: AgentKind;
  metadata: ProjectedMetadata;
  [field: string]: unknown;
}

export const MAX_OBJECTS_PER_BATCH = 5000;

export interface SnapshotBatch {
  snapshotId: string;
  sequence: number;
  /** True on the snapshot's last part: objects it did not mention are deleted. */
  final: boolean;
  objects: ProjectedObject[];
}

export interface Change {
  type: 'upsert' | 'delete';
  object: ProjectedObject;
}

export interface DeltaBatch {
  snapshotId: string;
  sequence: number;
  changes: Change[];
}

export interface Heartbeat {
  agentVersion: string;
  kubernetesVersion?: string;
  objectCounts: Record<string, number>;
  /** At most 2000 characters. */
  lastError?: string;
  snapshotId?: string;
}

export interface HeartbeatReply {
  resnapshot: boolean;
}

export interface BatchResult {
  status: 'applied' | 'duplicate';
  accepted: number;
  rejected: Array<{ index: number; reason: string }>;
}

export const AGENT_PATHS = {
  heartbeat: '/v1/agent/heartbeat',
  snapshots: '/v1/agent/snapshots',
  deltas: '/v1/agent/deltas',
} as const;
export type AgentEndpoint = keyof typeof AGENT_PATHS;
