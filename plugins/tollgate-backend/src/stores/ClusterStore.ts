import type { Knex } from 'knex';
import type { CloudProvider, Cluster } from '@tollgate/plugin-tollgate-common';
import type { PermissionFilter } from '../permissions/resources';
import { applyPermissionFilter } from './permissionFilter';
import { toIsoString } from './timestamps';

type ClusterRow = {
  id: string;
  name: string;
  display_name: string;
  provider: string;
  region: string;
  environment: string;
  metadata: string;
  created_by: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
};

/** The fields of a cluster the store writes on insert. */
export type NewCluster = Omit<Cluster, 'createdAt' | 'updatedAt'>;

/** The fields of a cluster that may change after registration. */
export type ClusterChanges = Partial<
  Pick<
    Cluster,
    'displayName' | 'provider' | 'region' | 'environment' | 'metadata'
  >
>;

export type ClusterFilter = { environment?: string; provider?: string };

/** SQL for the `clusters` table. */
export class ClusterStore {
  constructor(private readonly db: Knex) {}

  async list(
    filter: ClusterFilter = {},
    allowed?: PermissionFilter,
  ): Promise<Cluster[]> {
    const query = applyPermissionFilter(
      this.db<ClusterRow>('clusters').orderBy('name'),
      allowed,
      { environment: 'environment', name: 'name' },
    );
    if (filter.environment) query.where('environment', filter.environment);
    if (filter.provider) query.where('provider', filter.provider);
    return (await query).map(fromRow);
  }

  async get(id: string): Promise<Cluster | undefined> {
    const row = await this.db<ClusterRow>('clusters').where({ id }).first();
    return row && fromRow(row);
  }

  async getByName(name: string): Promise<Cluster | undefined> {
    const row = await this.db<ClusterRow>('clusters').where({ name }).first();
    return row && fromRow(row);
  }

  async insert(cluster: NewCluster, now: Date): Promise<Cluster> {
    await this.db<ClusterRow>('clusters').insert({
      id: cluster.id,
      name: cluster.name,
      display_name: cluster.displayName,
      provider: cluster.provider,
      region: cluster.region,
      environment: cluster.environment,
      metadata: JSON.stringify(cluster.metadata),
      created_by: cluster.createdBy,
      created_at: now,
      updated_at: now,
    });
    return (await this.get(cluster.id))!;
  }

  /** Applies the changes; returns the updated cluster, or undefined when absent. */
  async update(
    id: string,
    changes: ClusterChanges,
    now: Date,
  ): Promise<Cluster | undefined> {
    const row: Partial<ClusterRow> = { updated_at: now };
    if (changes.displayName !== undefined)
      row.display_name = changes.displayName;
    if (changes.provider !== undefined) row.provider = changes.provider;
    if (changes.region !== undefined) row.region = changes.region;
    if (changes.environment !== undefined)
      row.environment = changes.environment;
    if (changes.metadata !== undefined)
      row.metadata = JSON.stringify(changes.metadata);
    const count = await this.db<ClusterRow>('clusters')
      .where({ id })
      .update(row);
    return count ? this.get(id) : undefined;
  }

  /**
   * Removes the cluster and everything its agent reported; false when absent.
   * Dependents are deleted explicitly because SQLite may run without foreign keys.
   */
  async delete(id: string): Promise<boolean> {
    for (const table of [
      'cluster_objects',
      'cluster_snapshots',
      'cluster_agents',
    ]) {
      await this.db(table).where({ cluster_id: id }).delete();
    }
    return (await this.db('clusters').where({ id }).delete()) > 0;
  }
}

function fromRow(row: ClusterRow): Cluster {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    provider: row.provider as CloudProvider,
    region: row.region,
    environment: row.environment,
    metadata: JSON.parse(row.metadata),
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
  };
}
