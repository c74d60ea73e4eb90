import type { Knex } from 'knex';
import type { PermissionFilter } from '../permissions/resources';
import { applyPermissionFilter } from './permissionFilter';
import { toIsoString } from './timestamps';

/** Workload kinds the fleet view counts. */
export const FLEET_WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** A cluster and its agent, one row of `clusters` LEFT JOIN `cluster_agents`. */
export interface FleetClusterRow {
  id: string;
  name: string;
  displayName: string;
  provider: string;
  region: string;
  environment: string;
  lastHeartbeatAt: string | null;
  revokedAt: string | null;
  hasToken: boolean;
  lastError: string | null;
  agentVersion: string | null;
  kubernetesVersion: string | null;
}

/**
 * Nodes of one cluster that look alike for pricing, counted. Readiness and
 * pressure are read from the stored node conditions inside the database.
 */
export interface FleetNodeGroup {
  clusterId: string;
  instanceType: string | null;
  region: string | null;
  spot: boolean;
  cpu: string | null;
  memory: string | null;
  nodes: number;
  /** Nodes whose Ready condition is True. */
  ready: number;
  /** Nodes whose Ready condition is False or Unknown; the rest report none. */
  notReady: number;
  /** Nodes with a pressure condition (memory, disk, PID, network) true. */
  pressure: number;
  unschedulable: number;
}

const INSTANCE_TYPE_LABELS = [
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
];
const REGION_LABELS = [
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/region',
];
/** Spot / preemptible capacity, as EKS, Karpenter, GKE and AKS label it. */
const SPOT_LABELS: [string, string][] = [
  ['eks.amazonaws.com/capacityType', 'SPOT'],
  ['karpenter.sh/capacity-type', 'spot'],
  ['cloud.google.com/gke-spot', 'true'],
  ['cloud.google.com/gke-preemptible', 'true'],
  ['kubernetes.azure.com/scalesetpriority', 'spot'],
];

/**
 * The fleet overview's SQL: a handful of aggregate queries over clusters,
 * agents and the latest objects, never loading the objects themselves.
 * Node fields are read with the database's JSON functions (PostgreSQL
 * jsonb, SQLite JSON1).
 */
export class FleetStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres(): boolean {
    const client = this.db.client.config.client;
    return client === 'pg' || client === 'postgres' || client === 'postgresql';
  }

  async clusters(allowed?: PermissionFilter): Promise<FleetClusterRow[]> {
    const query = applyPermissionFilter(
      this.db('clusters as c')
        .leftJoin('cluster_agents as a', 'a.cluster_id', 'c.id')
        .select(
          'c.id',
          'c.name',
          'c.display_name',
          'c.provider',
          'c.region',
          'c.environment',
          'a.last_heartbeat_at',
          'a.revoked_at',
          'a.token_hash',
          'a.last_error',
          'a.agent_version',
          'a.kubernetes_version',
        )
        .orderBy('c.name'),
      allowed,
      { environment: 'c.environment', name: 'c.name' },
    );
    const rows: any[] = await query;
    return rows.map(row => ({
      id: row.id,
      name: row.name,
      displayName: row.display_name,
      provider: row.provider,
      region: row.region,
      environment: row.environment,
      lastHeartbeatAt: row.last_heartbeat_at
        ? toIsoString(row.last_heartbeat_at)
        : null,
      revokedAt: row.revoked_at ? toIsoString(row.revoked_at) : null,
      hasToken: Boolean(row.token_hash),
      lastError: row.last_error ?? null,
      agentVersion: row.agent_version ?? null,
      kubernetesVersion: row.kubernetes_version ?? null,
    }));
  }

  /** Live workloads (Deployments, StatefulSets, DaemonSets) per cluster. */
  async workloadCounts(): Promise<Map<string, number>> {
    const rows: { cluster_id: string; n: string | number }[] = await this.db(
      'cluster_objects',
    )
      .select('cluster_id')
      .count({ n: '*' })
      .whereIn('kind', FLEET_WORKLOAD_KINDS)
      .whereNull('deleted_at')
      .groupBy('cluster_id');
    return new Map(rows.map(row => [row.cluster_id, Number(row.n)]));
  }

  /** Live nodes per cluster, grouped by what prices them. */
  async nodeGroups(): Promise<FleetNodeGroup[]> {
    const rows: any[] = this.isPostgres
      ? await this.postgresNodeGroups()
      : await this.sqliteNodeGroups();
    return rows.map(row => ({
      clusterId: row.cluster_id,
      instanceType: row.instance_type ?? null,
      region: row.region ?? null,
      spot: Boolean(Number(row.spot)),
      cpu: row.cpu ?? null,
      memory: row.memory ?? null,
      nodes: Number(row.nodes),
      ready: Number(row.ready),
      notReady: Number(row.not_ready),
      pressure: Number(row.pressure),
      unschedulable: Number(row.unschedulable),
    }));
  }

  private postgresNodeGroups() {
    const label = (key: string) => `j #>> '{metadata,labels,${key}}'`;
    const firstLabel = (keys: string[]) =>
      `coalesce(${keys.map(label).join(', ')})`;
    const spot = SPOT_LABELS.map(
      ([key, value]) => `${label(key)} = '${value}'`,
    ).join(' OR ');
    // `\\?` keeps knex from reading the jsonpath filter as a binding.
    const condition = (test: string) =>
      `jsonb_path_exists(j, '$.status.conditions[*] \\? (${test})')`;
    const nodes = this.db('cluster_objects')
      .select('cluster_id', this.db.raw('object::jsonb AS j'))
      .where('kind', 'Node')
      .whereNull('deleted_at')
      .as('n');
    return this.db
      .from(nodes)
      .select(
        'cluster_id',
        this.db.raw(`${firstLabel(INSTANCE_TYPE_LABELS)} AS instance_type`),
        this.db.raw(`${firstLabel(REGION_LABELS)} AS region`),
        this.db.raw(`CASE WHEN ${spot} THEN 1 ELSE 0 END AS spot`),
        this.db.raw(`j #>> '{status,capacity,cpu}' AS cpu`),
        this.db.raw(`j #>> '{status,capacity,memory}' AS memory`),
        this.db.raw('count(*) AS nodes'),
        this.db.raw(
          `sum(CASE WHEN ${condition(
            '@.type == "Ready" && @.status == "True"',
          )} THEN 1 ELSE 0 END) AS ready`,
        ),
        this.db.raw(
          `sum(CASE WHEN ${condition(
            '@.type == "Ready" && @.status != "True"',
          )} THEN 1 ELSE 0 END) AS not_ready`,
        ),
        this.db.raw(
          `sum(CASE WHEN ${condition(
            '@.type != "Ready" && @.status == "True"',
          )} THEN 1 ELSE 0 END) AS pressure`,
        ),
        this.db.raw(
          `sum(CASE WHEN j #>> '{spec,unschedulable}' = 'true' THEN 1 ELSE 0 END) AS unschedulable`,
        ),
      )
      .groupBy(
        'cluster_id',
        'instance_type',
        'region',
        'spot',
        'cpu',
        'memory',
      );
  }

  private sqliteNodeGroups() {
    const label = (key: string) =>
      `json_extract(object, '$.metadata.labels."${key}"')`;
    const firstLabel = (keys: string[]) =>
      `coalesce(${keys.map(label).join(', ')})`;
    const spot = SPOT_LABELS.map(
      ([key, value]) => `${label(key)} = '${value}'`,
    ).join(' OR ');
    const condition = (where: string) =>
      `EXISTS (SELECT 1 FROM json_each(object, '$.status.conditions') c WHERE ${where})`;
    const type = `json_extract(c.value, '$.type')`;
    const status = `json_extract(c.value, '$.status')`;
    return this.db('cluster_objects')
      .select(
        'cluster_id',
        this.db.raw(`${firstLabel(INSTANCE_TYPE_LABELS)} AS instance_type`),
        this.db.raw(`${firstLabel(REGION_LABELS)} AS region`),
        this.db.raw(`CASE WHEN ${spot} THEN 1 ELSE 0 END AS spot`),
        this.db.raw(
          `CAST(json_extract(object, '$.status.capacity.cpu') AS TEXT) AS cpu`,
        ),
        this.db.raw(
          `CAST(json_extract(object, '$.status.capacity.memory') AS TEXT) AS memory`,
        ),
        this.db.raw('count(*) AS nodes'),
        this.db.raw(
          `sum(CASE WHEN ${condition(
            `${type} = 'Ready' AND ${status} = 'True'`,
          )} THEN 1 ELSE 0 END) AS ready`,
        ),
        this.db.raw(
          `sum(CASE WHEN ${condition(
            `${type} = 'Ready' AND ${status} <> 'True'`,
          )} THEN 1 ELSE 0 END) AS not_ready`,
        ),
        this.db.raw(
          `sum(CASE WHEN ${condition(
            `${type} <> 'Ready' AND ${status} = 'True'`,
          )} THEN 1 ELSE 0 END) AS pressure`,
        ),
        this.db.raw(
          `sum(CASE WHEN json_extract(object, '$.spec.unschedulable') IN (1, 'true') THEN 1 ELSE 0 END) AS unschedulable`,
        ),
      )
      .where('kind', 'Node')
      .whereNull('deleted_at')
      .groupBy(
        'cluster_id',
        'instance_type',
        'region',
        'spot',
        'cpu',
        'memory',
      );
  }
}
