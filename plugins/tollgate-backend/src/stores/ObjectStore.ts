import type { Knex } from 'knex';
import type {
  ClusterObject,
  ClusterSnapshot,
  ProjectedObject,
} from '@tollgate/plugin-tollgate-common';
import { toIsoString } from './timestamps';

/** What ingest writes for one object. */
export interface ObjectWrite {
  object: ProjectedObject;
  hash: string;
}

export interface ObjectQuery {
  kind?: string;
  namespace?: string;
  includeDeleted?: boolean;
}

type Timestamp = Date | string | number;
type ObjectRow = {
  cluster_id: string;
  api_version: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string | null;
  resource_version: string | null;
  object: string;
  hash: string;
  snapshot_id: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  deleted_at: Timestamp | null;
};
type SnapshotRow = {
  id: string;
  cluster_id: string;
  status: ClusterSnapshot['status'];
  object_count: number;
  rejected_count: number;
  started_at: Timestamp;
  completed_at: Timestamp | null;
};

// Keeps each statement's bind parameters under SQLite's and PostgreSQL's limits.
const CHUNK = 200;
const OBJECT_KEY = ['cluster_id', 'kind', 'namespace', 'name'];

/** SQL for `cluster_objects` and `cluster_snapshots`. */
export class ObjectStore {
  constructor(private readonly db: Knex) {}

  /** Inserts or replaces objects; an upserted object is alive again. */
  async upsert(
    clusterId: string,
    writes: ObjectWrite[],
    snapshotId: string,
    now: Date,
  ): Promise<void> {
    for (let i = 0; i < writes.length; i += CHUNK) {
      const rows = writes
        .slice(i, i + CHUNK)
        .map(w => toRow(clusterId, w, snapshotId, now));
      await this.db<ObjectRow>('cluster_objects')
        .insert(rows)
        .onConflict(OBJECT_KEY)
        .merge([
          'api_version',
          'uid',
          'resource_version',
          'object',
          'hash',
          'snapshot_id',
          'last_seen_at',
          'deleted_at',
        ]);
    }
  }

  /** Marks objects deleted, keeping their last state. */
  async markDeleted(
    clusterId: string,
    keys: Array<{ kind: string; namespace: string; name: string }>,
    now: Date,
  ): Promise<void> {
    for (const key of keys) {
      await this.db<ObjectRow>('cluster_objects')
        .where({ cluster_id: clusterId, ...key })
        .whereNull('deleted_at')
        .update({ deleted_at: now, last_seen_at: now });
    }
  }

  /** After a complete snapshot: whatever it did not mention is gone. */
  async markDeletedUnlessSeenIn(
    clusterId: string,
    snapshotId: string,
    now: Date,
  ): Promise<number> {
    return this.db<ObjectRow>('cluster_objects')
      .where({ cluster_id: clusterId })
      .whereNull('deleted_at')
      .andWhere(q =>
        q.whereNot('snapshot_id', snapshotId).orWhereNull('snapshot_id'),
      )
      .update({ deleted_at: now });
  }

  async list(
    clusterId: string,
    query: ObjectQuery = {},
  ): Promise<ClusterObject[]> {
    const q = this.db<ObjectRow>('cluster_objects')
      .where({ cluster_id: clusterId })
      .orderBy(['kind', 'namespace', 'name']);
    if (query.kind) q.where('kind', query.kind);
    if (query.namespace !== undefined) q.where('namespace', query.namespace);
    if (!query.includeDeleted) q.whereNull('deleted_at');
    return (await q).map(fromRow);
  }

  async countLive(clusterId: string): Promise<number> {
    const [{ n }] = await this.db('cluster_objects')
      .where({ cluster_id: clusterId })
      .whereNull('deleted_at')
      .count({ n: '*' });
    return Number(n);
  }

  async startSnapshot(clusterId: string, id: string, now: Date): Promise<void> {
    await this.db<SnapshotRow>('cluster_snapshots')
      .where({ cluster_id: clusterId, status: 'receiving' })
      .update({ status: 'superseded' });
    await this.db<SnapshotRow>('cluster_snapshots').insert({
      id,
      cluster_id: clusterId,
      status: 'receiving',
      object_count: 0,
      rejected_count: 0,
      started_at: now,
    });
  }

  async addToSnapshot(
    id: string,
    accepted: number,
    rejected: number,
  ): Promise<void> {
    await this.db('cluster_snapshots')
      .where({ id })
      .increment({ object_count: accepted, rejected_count: rejected });
  }

  async completeSnapshot(id: string, now: Date): Promise<void> {
    await this.db<SnapshotRow>('cluster_snapshots')
      .where({ id })
      .update({ status: 'complete', completed_at: now });
  }

  async listSnapshots(
    clusterId: string,
    limit = 50,
  ): Promise<ClusterSnapshot[]> {
    const rows = await this.db<SnapshotRow>('cluster_snapshots')
      .where({ cluster_id: clusterId })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      clusterId: row.cluster_id,
      status: row.status,
      objectCount: Number(row.object_count),
      rejectedCount: Number(row.rejected_count),
      startedAt: toIsoString(row.started_at),
      completedAt:
        row.completed_at === null ? null : toIsoString(row.completed_at),
    }));
  }
}

function toRow(
  clusterId: string,
  write: ObjectWrite,
  snapshotId: string,
  now: Date,
): ObjectRow {
  const { metadata } = write.object;
  return {
    cluster_id: clusterId,
    api_version: write.object.apiVersion,
    kind: write.object.kind,
    namespace: metadata.namespace ?? '',
    name: metadata.name,
    uid: metadata.uid ?? null,
    resource_version: metadata.resourceVersion ?? null,
    object: JSON.stringify(write.object),
    hash: write.hash,
    snapshot_id: snapshotId,
    first_seen_at: now,
    last_seen_at: now,
    deleted_at: null,
  };
}

function fromRow(row: ObjectRow): ClusterObject {
  return {
    apiVersion: row.api_version,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    uid: row.uid,
    resourceVersion: row.resource_version,
    object: JSON.parse(row.object),
    hash: row.hash,
    firstSeenAt: toIsoString(row.first_seen_at),
    lastSeenAt: toIsoString(row.last_seen_at),
    deletedAt: row.deleted_at === null ? null : toIsoString(row.deleted_at),
  };
}
