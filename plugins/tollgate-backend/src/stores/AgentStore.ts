import type { Knex } from 'knex';
import { toIsoString } from './timestamps';

/** A cluster's agent: its credentials, what it last said, and its session. */
export interface AgentRecord {
  clusterId: string;
  tokenHash: string | null;
  previousTokenHash: string | null;
  previousTokenExpiresAt: string | null;
  tokenCreatedAt: string | null;
  revokedAt: string | null;
  agentVersion: string | null;
  kubernetesVersion: string | null;
  objectCounts: Record<string, number>;
  lastError: string | null;
  lastHeartbeatAt: string | null;
  sessionId: string | null;
  lastSequence: number | null;
}

type Timestamp = Date | string | number;
type AgentRow = {
  cluster_id: string;
  token_hash: string | null;
  previous_token_hash: string | null;
  previous_token_expires_at: Timestamp | null;
  token_created_at: Timestamp | null;
  revoked_at: Timestamp | null;
  agent_version: string | null;
  kubernetes_version: string | null;
  object_counts: string | null;
  last_error: string | null;
  last_heartbeat_at: Timestamp | null;
  session_id: string | null;
  last_sequence: number | null;
};

const isoOrNull = (value: Timestamp | null) =>
  value === null ? null : toIsoString(value);

/** SQL for `cluster_agents`: one row per cluster. */
export class AgentStore {
  constructor(private readonly db: Knex) {}

  async get(clusterId: string): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('cluster_agents')
      .where({ cluster_id: clusterId })
      .first();
    return row && fromRow(row);
  }

  /** The agent whose current, or still-valid previous, token has this hash. */
  async findByTokenHash(
    hash: string,
    now: Date,
  ): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('cluster_agents')
      .whereNull('revoked_at')
      .andWhere(q =>
        q
          .where('token_hash', hash)
          .orWhere(inner =>
            inner
              .where('previous_token_hash', hash)
              .andWhere('previous_token_expires_at', '>', now),
          ),
      )
      .first();
    return row && fromRow(row);
  }

  /** Sets a new token; the old one, if any, stays valid until `previousExpiresAt`. */
  async setToken(
    clusterId: string,
    tokenHash: string,
    now: Date,
    previousExpiresAt: Date,
  ): Promise<void> {
    const existing = await this.get(clusterId);
    if (!existing) {
      await this.db<AgentRow>('cluster_agents').insert({
        cluster_id: clusterId,
        token_hash: tokenHash,
        token_created_at: now,
        object_counts: '{}',
      });
      return;
    }
    const keepPrevious =
      existing.tokenHash !== null && existing.revokedAt === null;
    await this.db<AgentRow>('cluster_agents')
      .where({ cluster_id: clusterId })
      .update({
        token_hash: tokenHash,
        token_created_at: now,
        previous_token_hash: keepPrevious ? existing.tokenHash : null,
        previous_token_expires_at: keepPrevious ? previousExpiresAt : null,
        revoked_at: null,
      });
  }

  /** Invalidates every token of the cluster's agent at once. */
  async revoke(clusterId: string, now: Date): Promise<boolean> {
    const count = await this.db<AgentRow>('cluster_agents')
      .where({ cluster_id: clusterId })
      .whereNull('revoked_at')
      .update({
        revoked_at: now,
        token_hash: null,
        previous_token_hash: null,
        previous_token_expires_at: null,
      });
    return count > 0;
  }

  async recordHeartbeat(
    clusterId: string,
    heartbeat: {
      agentVersion: string;
      kubernetesVersion?: string;
      objectCounts: Record<string, number>;
      lastError?: string;
    },
    now: Date,
  ): Promise<void> {
    await this.db<AgentRow>('cluster_agents')
      .where({ cluster_id: clusterId })
      .update({
        agent_version: heartbeat.agentVersion,
        kubernetes_version: heartbeat.kubernetesVersion ?? null,
        object_counts: JSON.stringify(heartbeat.objectCounts),
        last_error: heartbeat.lastError ?? null,
        last_heartbeat_at: now,
      });
  }

  async setSession(
    clusterId: string,
    sessionId: string,
    sequence: number,
  ): Promise<void> {
    await this.db<AgentRow>('cluster_agents')
      .where({ cluster_id: clusterId })
      .update({ session_id: sessionId, last_sequence: sequence });
  }
}

function fromRow(row: AgentRow): AgentRecord {
  return {
    clusterId: row.cluster_id,
    tokenHash: row.token_hash,
    previousTokenHash: row.previous_token_hash,
    previousTokenExpiresAt: isoOrNull(row.previous_token_expires_at),
    tokenCreatedAt: isoOrNull(row.token_created_at),
    revokedAt: isoOrNull(row.revoked_at),
    agentVersion: row.agent_version,
    kubernetesVersion: row.kubernetes_version,
    objectCounts: row.object_counts ? JSON.parse(row.object_counts) : {},
    lastError: row.last_error,
    lastHeartbeatAt: isoOrNull(row.last_heartbeat_at),
    sessionId: row.session_id,
    lastSequence: row.last_sequence === null ? null : Number(row.last_sequence),
  };
}
