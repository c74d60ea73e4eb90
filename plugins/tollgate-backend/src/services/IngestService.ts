import { AuthenticationError, ConflictError } from '@backstage/errors';
import {
  describeIssues,
  projectedObjectSchema,
  type BatchResult,
  type DeltaBatch,
  type Heartbeat,
  type ProjectedObject,
  type SnapshotBatch,
} from '@tollgate/plugin-tollgate-common';
import type { AgentRecord } from '../stores/AgentStore';
import type { ObjectWrite } from '../stores/ObjectStore';
import type { TollgateStores } from '../stores/TollgateStores';
import { canonicalJson, sha256Hex } from './canonicalJson';
import { sanitizeObject } from './sanitizeObject';

type Validated = { writes: ObjectWrite[]; rejected: BatchResult['rejected'] };

/**
 * Applies what agents push. Each batch commits in one transaction together
 * with the session's sequence number, so a replayed batch changes nothing.
 */
export class IngestService {
  constructor(
    private readonly stores: TollgateStores,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The agent that owns the bearer token, or a 401. */
  async authenticate(authorization: string | undefined): Promise<AgentRecord> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AuthenticationError('Missing agent bearer token');
    const agent = await this.stores.agents.findByTokenHash(
      sha256Hex(token),
      this.clock(),
    );
    if (!agent)
      throw new AuthenticationError('Unknown, rotated or revoked agent token');
    return agent;
  }

  /** Records liveness; tells the agent to re-snapshot if its session is unknown. */
  async heartbeat(
    agent: AgentRecord,
    heartbeat: Heartbeat,
  ): Promise<{ resnapshot: boolean }> {
    await this.stores.agents.recordHeartbeat(
      agent.clusterId,
      heartbeat,
      this.clock(),
    );
    const resnapshot =
      heartbeat.snapshotId !== undefined &&
      heartbeat.snapshotId !== agent.sessionId;
    return { resnapshot };
  }

  async applySnapshot(
    agent: AgentRecord,
    batch: SnapshotBatch,
  ): Promise<BatchResult> {
    const { writes, rejected } = validateObjects(batch.objects);
    return this.stores.transaction(async stores => {
      const now = this.clock();
      const starting = batch.sequence === 1;
      if (!(await advanceSequence(stores, agent.clusterId, batch, starting))) {
        return { status: 'duplicate', accepted: 0, rejected: [] };
      }
      if (starting)
        await stores.objects.startSnapshot(
          agent.clusterId,
          batch.snapshotId,
          now,
        );
      await stores.objects.upsert(
        agent.clusterId,
        writes,
        batch.snapshotId,
        now,
      );
      await stores.objects.addToSnapshot(
        batch.snapshotId,
        writes.length,
        rejected.length,
      );
      if (batch.final) {
        await stores.objects.markDeletedUnlessSeenIn(
          agent.clusterId,
          batch.snapshotId,
          now,
        );
        await stores.objects.completeSnapshot(batch.snapshotId, now);
      }
      return { status: 'applied', accepted: writes.length, rejected };
    });
  }

  async applyDeltas(
    agent: AgentRecord,
    batch: DeltaBatch,
  ): Promise<BatchResult> {
    const upserts = batch.changes
      .filter(c => c.type === 'upsert')
      .map(c => c.object);
    const deletes = batch.changes
      .filter(c => c.type === 'delete')
      .map(c => c.object);
    const upserted = validateObjects(upserts);
    const deleted = validateObjects(deletes);
    return this.stores.transaction(async stores => {
      const now = this.clock();
      if (!(await advanceSequence(stores, agent.clusterId, batch, false))) {
        return { status: 'duplicate', accepted: 0, rejected: [] };
      }
      await stores.objects.upsert(
        agent.clusterId,
        upserted.writes,
        batch.snapshotId,
        now,
      );
      await stores.objects.markDeleted(
        agent.clusterId,
        deleted.writes.map(({ object }) => ({
          kind: object.kind,
          namespace: object.metadata.namespace ?? '',
          name: object.metadata.name,
        })),
        now,
      );
      const rejected = [...upserted.rejected, ...deleted.rejected].sort(
        (a, b) => a.index - b.index,
      );
      return {
        status: 'applied',
        accepted: upserted.writes.length + deleted.writes.length,
        rejected,
      };
    });
  }
}

/**
 * Moves the session to `batch.sequence`: true to apply the batch, false for a
 * replay. A gap or an unknown session is a 409, after which the agent re-snapshots.
 */
async function advanceSequence(
  stores: TollgateStores,
  clusterId: string,
  batch: { snapshotId: string; sequence: number },
  startsSession: boolean,
): Promise<boolean> {
  const agent = await stores.agents.get(clusterId);
  const sameSession = agent?.sessionId === batch.snapshotId;
  const last = sameSession ? agent?.lastSequence ?? 0 : 0;
  if (sameSession && batch.sequence <= last) return false;
  if (startsSession) {
    await stores.agents.setSession(clusterId, batch.snapshotId, 1);
    return true;
  }
  if (!sameSession) {
    throw new ConflictError(
      `Resnapshot required: session ${batch.snapshotId} is not the current one; send a full snapshot`,
    );
  }
  if (batch.sequence !== last + 1) {
    throw new ConflictError(
      `Resnapshot required: batch ${batch.sequence} arrived but ${
        last + 1
      } was expected`,
    );
  }
  await stores.agents.setSession(clusterId, batch.snapshotId, batch.sequence);
  return true;
}

/** Keeps valid objects and explains each invalid one by its index in the batch. */
function validateObjects(objects: unknown[]): Validated {
  const writes: ObjectWrite[] = [];
  const rejected: BatchResult['rejected'] = [];
  objects.forEach((candidate, index) => {
    const parsed = projectedObjectSchema.safeParse(candidate);
    if (!parsed.success) {
      const reason = Object.entries(describeIssues(parsed.error))
        .map(([field, message]) => `${field}: ${message}`)
        .join('; ');
      rejected.push({ index, reason });
      return;
    }
    const object = sanitizeObject(parsed.data as ProjectedObject);
    writes.push({ object, hash: sha256Hex(canonicalJson(object)) });
  });
  return { writes, rejected };
}
