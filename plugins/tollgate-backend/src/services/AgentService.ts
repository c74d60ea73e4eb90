import { randomBytes } from 'node:crypto';
import { NotFoundError } from '@backstage/errors';
import {
  agentStatusAt,
  type AgentInfo,
  type AgentTokenGrant,
} from '@tollgate/plugin-tollgate-common';
import type { AgentRecord } from '../stores/AgentStore';
import type { TollgateStores } from '../stores/TollgateStores';
import type { AuditService, RequestContext } from './AuditService';
import { sha256Hex } from './canonicalJson';

export interface AgentServiceOptions {
  /** How long a rotated-out token keeps working, so agents can pick up the new one. */
  previousTokenGraceMs: number;
}

/** Agent tokens (shown once, stored only as hashes) and agent status. */
export class AgentService {
  constructor(
    private readonly stores: TollgateStores,
    private readonly audit: AuditService,
    private readonly options: AgentServiceOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates the cluster's first token, or rotates the current one. */
  async issueToken(
    clusterId: string,
    context: RequestContext,
  ): Promise<AgentTokenGrant> {
    return this.stores.transaction(async stores => {
      await requireCluster(stores, clusterId);
      const before = await stores.agents.get(clusterId);
      const rotating = Boolean(before?.tokenHash);
      const token = `tgat_${randomBytes(32).toString('base64url')}`;
      const now = this.clock();
      const previousExpiresAt = new Date(
        now.getTime() + this.options.previousTokenGraceMs,
      );
      await stores.agents.setToken(
        clusterId,
        sha256Hex(token),
        now,
        previousExpiresAt,
      );
      await this.audit.record(stores, context, {
        action: rotating ? 'agent.token.rotate' : 'agent.token.create',
        targetType: 'cluster',
        targetId: clusterId,
        details: rotating
          ? { previousTokenValidUntil: previousExpiresAt.toISOString() }
          : {},
      });
      return {
        token,
        tokenCreatedAt: now.toISOString(),
        previousTokenExpiresAt: rotating
          ? previousExpiresAt.toISOString()
          : null,
      };
    });
  }

  /** Makes every token of the cluster's agent invalid at once. */
  async revokeToken(clusterId: string, context: RequestContext): Promise<void> {
    await this.stores.transaction(async stores => {
      await requireCluster(stores, clusterId);
      if (!(await stores.agents.revoke(clusterId, this.clock()))) {
        throw new NotFoundError(
          `Cluster '${clusterId}' has no active agent token`,
        );
      }
      await this.audit.record(stores, context, {
        action: 'agent.token.revoke',
        targetType: 'cluster',
        targetId: clusterId,
        details: {},
      });
    });
  }

  async getInfo(clusterId: string): Promise<AgentInfo> {
    await requireCluster(this.stores, clusterId);
    return toInfo(
      clusterId,
      await this.stores.agents.get(clusterId),
      this.clock(),
    );
  }
}

async function requireCluster(stores: TollgateStores, clusterId: string) {
  if (!(await stores.clusters.get(clusterId))) {
    throw new NotFoundError(`No cluster with id '${clusterId}'`);
  }
}

function toInfo(
  clusterId: string,
  agent: AgentRecord | undefined,
  now: Date,
): AgentInfo {
  return {
    clusterId,
    status: agentStatusAt(agent, now),
    agentVersion: agent?.agentVersion ?? null,
    kubernetesVersion: agent?.kubernetesVersion ?? null,
    objectCounts: agent?.objectCounts ?? {},
    lastError: agent?.lastError ?? null,
    lastHeartbeatAt: agent?.lastHeartbeatAt ?? null,
    tokenCreatedAt: agent?.tokenCreatedAt ?? null,
    previousTokenExpiresAt: agent?.previousTokenExpiresAt ?? null,
  };
}
