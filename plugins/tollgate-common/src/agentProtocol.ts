import { z } from 'zod';

/**
 * The wire contract between the in-cluster agent and the backend's ingest
 * endpoints under `/api/tollgate/v1/agent/...`. Bodies are JSON, optionally
 * gzip-encoded; the agent authenticates with `Authorization: Bearer <token>`.
 *
 * Sequencing: each agent session picks a fresh `snapshotId` and numbers every
 * batch it sends in that session 1, 2, 3, ... A session starts with the parts
 * of a full snapshot (the last one has `final: true`), then deltas. The backend
 * ignores a batch whose sequence it has already applied (a replay) and refuses
 * one that skips ahead with 409, after which the agent starts a new session.
 */

/** Kinds the agent lists and watches; anything else is refused at ingest. */
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

const k8sName = z.string().min(1).max(253);

/**
 * An object as the agent projects it: Kubernetes shape, minus managedFields,
 * last-applied annotations, env values and ConfigMap data.
 */
export const projectedObjectSchema = z.looseObject({
  apiVersion: z.string().min(1).max(128),
  kind: z.enum(AGENT_KINDS),
  metadata: z.looseObject({
    name: k8sName,
    namespace: z.string().max(63).optional(),
    uid: z.string().max(64).optional(),
    resourceVersion: z.string().max(64).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});
export type ProjectedObject = z.infer<typeof projectedObjectSchema>;

export const MAX_OBJECTS_PER_BATCH = 5000;

/** One batch of a session: a snapshot part or a set of deltas. */
const batchBase = {
  snapshotId: z.uuid(),
  sequence: z.number().int().min(1),
};

/**
 * `objects` are validated one by one at ingest, so one bad object is reported
 * with its reason while the rest of the batch is kept.
 */
export const snapshotBatchSchema = z.object({
  ...batchBase,
  /** True on the snapshot's last part: objects it did not mention are deleted. */
  final: z.boolean(),
  objects: z.array(z.unknown()).max(MAX_OBJECTS_PER_BATCH),
});
export type SnapshotBatch = z.infer<typeof snapshotBatchSchema>;

export const deltaBatchSchema = z.object({
  ...batchBase,
  changes: z
    .array(
      z.object({
        type: z.enum(['upsert', 'delete']),
        object: z.unknown(),
      }),
    )
    .max(MAX_OBJECTS_PER_BATCH),
});
export type DeltaBatch = z.infer<typeof deltaBatchSchema>;

export const heartbeatSchema = z.object({
  agentVersion: z.string().min(1).max(64),
  kubernetesVersion: z.string().max(64).optional(),
  /** Objects tracked, per kind. */
  objectCounts: z.record(z.string(), z.number().int().min(0)),
  lastError: z.string().max(2000).optional(),
  /** Session the agent is in, so the backend can tell it to re-snapshot. */
  snapshotId: z.uuid().optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** The backend's answer to a batch. */
export interface BatchResult {
  /** `applied`, or `duplicate` for a replay that changed nothing. */
  status: 'applied' | 'duplicate';
  accepted: number;
  /** Objects refused, each with why. */
  rejected: Array<{ index: number; reason: string }>;
}

/** Heartbeat age thresholds for an agent's status. */
export const AGENT_STALE_AFTER_MS = 60_000;
export const AGENT_OFFLINE_AFTER_MS = 5 * 60_000;
export type AgentStatus =
  | 'connected'
  | 'stale'
  | 'offline'
  | 'never-connected'
  | 'revoked';

/** Status from the age of the last heartbeat. */
export function agentStatusAt(
  agent:
    | { lastHeartbeatAt: string | null; revokedAt: string | null }
    | undefined,
  now: Date,
): AgentStatus {
  if (agent?.revokedAt) return 'revoked';
  if (!agent?.lastHeartbeatAt) return 'never-connected';
  const age = now.getTime() - new Date(agent.lastHeartbeatAt).getTime();
  if (age <= AGENT_STALE_AFTER_MS) return 'connected';
  return age <= AGENT_OFFLINE_AFTER_MS ? 'stale' : 'offline';
}

/** A cluster's agent as the API shows it: never any token or hash. */
export interface AgentInfo {
  clusterId: string;
  status: AgentStatus;
  agentVersion: string | null;
  kubernetesVersion: string | null;
  objectCounts: Record<string, number>;
  lastError: string | null;
  lastHeartbeatAt: string | null;
  tokenCreatedAt: string | null;
  previousTokenExpiresAt: string | null;
}

/** Returned once, when a token is created or rotated. */
export interface AgentTokenGrant {
  token: string;
  tokenCreatedAt: string;
  /** Until when the replaced token still works, when one was replaced. */
  previousTokenExpiresAt: string | null;
}
