import {
  BYTES_PER_GIB,
  agentStatusAt,
  createPriceBook,
  parseBytes,
  parseCpu,
  type AgentStatus,
  type ClusterHealth,
  type FleetClusterSummary,
  type FleetSummary,
  type PriceBook,
} from '@tollgate/plugin-tollgate-common';
import type { PermissionFilter } from '../permissions/resources';
import type {
  FleetClusterRow,
  FleetNodeGroup,
  FleetStore,
} from '../stores/FleetStore';

interface Aggregates {
  workloads: Map<string, number>;
  nodeGroups: Map<string, FleetNodeGroup[]>;
  computedAt: number;
}

/** How long node and workload aggregates are reused; heartbeats are always live. */
export const DEFAULT_AGGREGATE_TTL_MS = 15_000;

/**
 * The fleet overview: health per cluster from its agent's heartbeat and its
 * nodes' conditions, workload counts, and the nodes' monthly price.
 *
 * Clusters and agents (one row per cluster) are read on every request, so
 * heartbeat ages and registrations are always current. The object
 * aggregates (workloads per cluster, nodes grouped with their readiness)
 * scan `cluster_objects`; they are reused for `aggregateTtlMs` and then
 * recomputed in the background while the previous figures are served, so
 * no request waits on the scan except the very first.
 */
export class FleetService {
  private readonly priceBook: PriceBook;
  private readonly now: () => Date;
  private readonly aggregateTtlMs: number;
  private aggregates?: Aggregates;
  private refreshing?: Promise<Aggregates>;

  constructor(
    private readonly store: FleetStore,
    options: {
      priceBook?: PriceBook;
      now?: () => Date;
      /** 0 recomputes on every request. */
      aggregateTtlMs?: number;
      onRefreshError?: (error: unknown) => void;
    } = {},
  ) {
    this.priceBook = options.priceBook ?? createPriceBook();
    this.now = options.now ?? (() => new Date());
    this.aggregateTtlMs = options.aggregateTtlMs ?? DEFAULT_AGGREGATE_TTL_MS;
    this.onRefreshError = options.onRefreshError ?? (() => {});
  }

  private readonly onRefreshError: (error: unknown) => void;

  private refresh(): Promise<Aggregates> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        const [workloads, groups] = await Promise.all([
          this.store.workloadCounts(),
          this.store.nodeGroups(),
        ]);
        const nodeGroups = new Map<string, FleetNodeGroup[]>();
        for (const group of groups) {
          const list = nodeGroups.get(group.clusterId) ?? [];
          list.push(group);
          nodeGroups.set(group.clusterId, list);
        }
        const fresh = { workloads, nodeGroups, computedAt: Date.now() };
        this.aggregates = fresh;
        return fresh;
      })().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async currentAggregates(): Promise<Aggregates> {
    const cached = this.aggregates;
    if (!cached || this.aggregateTtlMs <= 0) return this.refresh();
    if (Date.now() - cached.computedAt > this.aggregateTtlMs) {
      // Serve what we have; the next request gets the recomputed figures.
      this.refresh().catch(this.onRefreshError);
    }
    return cached;
  }

  async summary(allowed?: PermissionFilter): Promise<FleetSummary> {
    const [clusters, aggregates] = await Promise.all([
      this.store.clusters(allowed),
      this.currentAggregates(),
    ]);
    const { workloads, nodeGroups: groupsByCluster } = aggregates;
    const now = this.now();
    const summaries = clusters.map(cluster =>
      this.summarize(
        cluster,
        groupsByCluster.get(cluster.id) ?? [],
        workloads.get(cluster.id) ?? 0,
        now,
      ),
    );
    const totals = {
      total: summaries.length,
      healthy: 0,
      warning: 0,
      critical: 0,
      offline: 0,
    };
    for (const summary of summaries) totals[summary.health] += 1;
    return {
      generatedAt: now.toISOString(),
      currency: 'USD',
      totals,
      clusters: summaries,
    };
  }

  private summarize(
    cluster: FleetClusterRow,
    groups: FleetNodeGroup[],
    workloads: number,
    now: Date,
  ): FleetClusterSummary {
    const agentStatus = agentStatusAt(cluster, now);
    const total = sum(groups, g => g.nodes);
    const ready = sum(groups, g => g.ready);
    const notReady = sum(groups, g => g.notReady);
    const pressure = sum(groups, g => g.pressure);
    const unschedulable = sum(groups, g => g.unschedulable);
    const { health, reasons } = classifyHealth({
      agentStatus,
      nodes: total,
      ready,
      notReady,
      pressure,
      unschedulable,
      lastError: cluster.lastError,
    });
    const cost = this.monthlyCost(cluster, groups);
    return {
      id: cluster.id,
      name: cluster.name,
      displayName: cluster.displayName,
      provider: cluster.provider,
      region: cluster.region,
      environment: cluster.environment,
      health,
      healthReasons: reasons,
      agentStatus,
      lastHeartbeatAt: cluster.lastHeartbeatAt,
      agentVersion: cluster.agentVersion,
      kubernetesVersion: cluster.kubernetesVersion,
      nodes: {
        total,
        ready,
        notReady,
        unknown: total - ready - notReady,
      },
      workloads,
      monthlyCost: cost?.monthly ?? null,
      costBasis: cost?.basis ?? null,
    };
  }

  /** The nodes' price: the price list by type and region, else default unit rates by capacity. */
  private monthlyCost(
    cluster: FleetClusterRow,
    groups: FleetNodeGroup[],
  ): { monthly: number; basis: 'price-list' | 'defaults' } | undefined {
    if (groups.length === 0) return undefined;
    const book = this.priceBook;
    let hourly = 0;
    let basis: 'price-list' | 'defaults' = 'price-list';
    for (const group of groups) {
      const price = group.instanceType
        ? book.instance({
            provider: cluster.provider,
            region: group.region ?? cluster.region,
            instanceType: group.instanceType,
          })
        : undefined;
      if (price) {
        const each =
          group.spot && price.spotHourly !== undefined
            ? price.spotHourly
            : price.hourly;
        hourly += each * group.nodes;
        continue;
      }
      basis = 'defaults';
      const rates = book.defaults;
      const cores = quantity(group.cpu, parseCpu);
      const gib = quantity(group.memory, parseBytes) / BYTES_PER_GIB;
      const cpuRate = group.spot
        ? rates.spotCpuPerCoreHour
        : rates.cpuPerCoreHour;
      const ramRate = group.spot
        ? rates.spotRamPerGiBHour
        : rates.ramPerGiBHour;
      hourly += (cores * cpuRate + gib * ramRate) * group.nodes;
    }
    return { monthly: round2(hourly * book.hoursPerMonth), basis };
  }
}

/** Health from the agent's status and the nodes' conditions. */
export function classifyHealth(facts: {
  agentStatus: AgentStatus;
  nodes: number;
  ready: number;
  /** Ready condition False or Unknown; nodes without one count as neither. */
  notReady: number;
  pressure: number;
  unschedulable: number;
  lastError: string | null;
}): { health: ClusterHealth; reasons: string[] } {
  const { agentStatus, nodes, ready, notReady, pressure, unschedulable } =
    facts;
  if (agentStatus === 'never-connected') {
    return {
      health: 'offline',
      reasons: ['The agent has never connected: install it with a token'],
    };
  }
  if (agentStatus === 'revoked') {
    return {
      health: 'offline',
      reasons: ["The agent's token is revoked: issue a new one"],
    };
  }
  if (agentStatus === 'offline') {
    return {
      health: 'offline',
      reasons: ['No heartbeat from the agent for over 5 minutes'],
    };
  }
  const critical: string[] = [];
  const warnings: string[] = [];
  const unknown = nodes - ready - notReady;
  if (nodes > 0 && notReady === nodes) critical.push('No node is ready');
  else if (nodes > 0 && notReady * 2 >= nodes)
    critical.push(`${notReady} of ${nodes} nodes are not ready`);
  else if (notReady > 0)
    warnings.push(`${notReady} of ${nodes} nodes are not ready`);
  if (unknown > 0)
    warnings.push(
      `${unknown} node${
        unknown === 1 ? ' reports' : 's report'
      } no Ready condition`,
    );
  if (agentStatus === 'stale')
    warnings.push('The agent missed its recent heartbeats');
  if (nodes === 0) warnings.push('The agent has reported no nodes');
  if (pressure > 0)
    warnings.push(
      `${pressure} node${
        pressure === 1 ? '' : 's'
      } under memory, disk or PID pressure`,
    );
  if (unschedulable > 0)
    warnings.push(
      `${unschedulable} node${unschedulable === 1 ? ' is' : 's are'} cordoned`,
    );
  if (facts.lastError) warnings.push(`Agent error: ${facts.lastError}`);
  if (critical.length > 0)
    return { health: 'critical', reasons: [...critical, ...warnings] };
  if (warnings.length > 0) return { health: 'warning', reasons: warnings };
  return { health: 'healthy', reasons: [] };
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function quantity(
  text: string | null,
  parse: (input: string) => number,
): number {
  if (!text) return 0;
  try {
    return parse(text);
  } catch {
    return 0;
  }
}

function round2(amount: number): number {
  return Math.round(amount * 100) / 100;
}
