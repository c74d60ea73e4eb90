import type { Knex } from 'knex';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { toIsoString } from './timestamps';

/** A live object as a preview reads it: the JSON and its content hash. */
export interface StoredObject {
  object: K8sObject;
  hash: string;
  lastSeenAt: string;
}

/** Which kinds to read from one namespace ('' for cluster-scoped objects). */
export interface ObjectScope {
  namespace: string;
  kinds: readonly string[];
}

/** Changes whenever any Pod of the cluster is added, updated or deleted. */
export interface PodSetMarker {
  count: number;
  lastSeenAt: string | null;
  lastDeletedAt: string | null;
}

type Timestamp = Date | string | number;
type ObjectRow = { object: string; hash: string; last_seen_at: Timestamp };

const isoOrNull = (value: Timestamp | null | undefined) =>
  value === null || value === undefined ? null : toIsoString(value);

/**
 * Reads of `cluster_objects` shaped for previews: only live objects, only
 * the kinds and namespaces asked for, filtered in SQL on the
 * (cluster_id, kind, namespace) index.
 */
export class PreviewInputStore {
  constructor(private readonly db: Knex) {}

  /** Live objects of the given kinds in the given namespaces, in one query. */
  async listLive(
    clusterId: string,
    scopes: readonly ObjectScope[],
  ): Promise<StoredObject[]> {
    const wanted = scopes.filter(scope => scope.kinds.length > 0);
    if (wanted.length === 0) return [];
    const rows: ObjectRow[] = await this.db('cluster_objects')
      .select('object', 'hash', 'last_seen_at')
      .where({ cluster_id: clusterId })
      .whereNull('deleted_at')
      .andWhere(q => {
        for (const scope of wanted) {
          q.orWhere(inner =>
            inner
              .where('namespace', scope.namespace)
              .whereIn('kind', [...scope.kinds]),
          );
        }
      })
      .orderBy(['kind', 'namespace', 'name']);
    return rows.map(row => ({
      object: JSON.parse(row.object) as K8sObject,
      hash: row.hash,
      lastSeenAt: toIsoString(row.last_seen_at),
    }));
  }

  /** Every live Pod of the cluster, in all namespaces. */
  async listPods(clusterId: string): Promise<K8sObject[]> {
    const rows: Array<{ object: string }> = await this.db('cluster_objects')
      .select('object')
      .where({ cluster_id: clusterId, kind: 'Pod' })
      .whereNull('deleted_at');
    return rows.map(row => JSON.parse(row.object) as K8sObject);
  }

  /** A cheap aggregate that tells whether the cluster's Pods changed. */
  async podSetMarker(clusterId: string): Promise<PodSetMarker> {
    const [row] = await this.db('cluster_objects')
      .where({ cluster_id: clusterId, kind: 'Pod' })
      .select(
        this.db.raw('count(deleted_at) as deleted'),
        this.db.raw('count(*) as total'),
        this.db.raw('max(last_seen_at) as last_seen_at'),
        this.db.raw('max(deleted_at) as last_deleted_at'),
      );
    return {
      count: Number(row.total) - Number(row.deleted),
      lastSeenAt: isoOrNull(row.last_seen_at),
      lastDeletedAt: isoOrNull(row.last_deleted_at),
    };
  }

  /** The cluster's newest complete snapshot, if its agent finished one. */
  async latestCompleteSnapshotId(clusterId: string): Promise<string | null> {
    const row = await this.db('cluster_snapshots')
      .select('id')
      .where({ cluster_id: clusterId, status: 'complete' })
      .orderBy('completed_at', 'desc')
      .first();
    return row?.id ?? null;
  }
}
