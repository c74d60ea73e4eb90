import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createPriceBook } from '@tollgate/plugin-tollgate-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { classifyHealth, FleetService } from '../services/FleetService';
import { migrateLatest, TollgateStores } from './TollgateStores';

jest.setTimeout(60_000);

const now = new Date('2026-12-02T10:00:00.000Z');
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

function node(
  name: string,
  options: {
    ready?: boolean;
    pressure?: boolean;
    instanceType?: string;
    unschedulable?: boolean;
    cpu?: string;
    memory?: string;
  } = {},
) {
  const labels: Record<string, string> = {
    'topology.kubernetes.io/region': 'eu-west-1',
  };
  if (options.instanceType)
    labels['node.kubernetes.io/instance-type'] = options.instanceType;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: options.unschedulable ? { unschedulable: true } : {},
    status: {
      capacity: { cpu: options.cpu ?? '2', memory: options.memory ?? '8Gi' },
      conditions: [
        { type: 'MemoryPressure', status: options.pressure ? 'True' : 'False' },
        { type: 'Ready', status: options.ready === false ? 'False' : 'True' },
      ],
    },
  };
}

async function addObject(
  db: Knex,
  clusterId: string,
  object: { kind: string; metadata: { name: string; namespace?: string } },
  deleted = false,
) {
  await db('cluster_objects').insert({
    cluster_id: clusterId,
    api_version: 'v1',
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    object: JSON.stringify(object),
    hash: randomUUID().replace(/-/g, ''),
    first_seen_at: now,
    last_seen_at: now,
    deleted_at: deleted ? now : null,
  });
}

describe('FleetStore and FleetService', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    const stores = new TollgateStores(db);
    const addCluster = async (
      name: string,
      environment: string,
      heartbeat?: Date,
    ) => {
      const cluster = await stores.clusters.insert(
        {
          id: randomUUID(),
          name,
          displayName: name.toUpperCase(),
          provider: 'aws',
          region: 'eu-west-1',
          environment,
          metadata: {},
          createdBy: 'user:default/alice',
        },
        now,
      );
      if (heartbeat) {
        await db('cluster_agents').insert({
          cluster_id: cluster.id,
          token_hash: randomUUID().replace(/-/g, ''),
          last_heartbeat_at: heartbeat,
          agent_version: '0.1.0',
        });
      }
      return cluster;
    };
    return { db, stores, addCluster };
  }

  it.each(databases.eachSupportedId())(
    'summarizes health, nodes, workloads and cost on %p',
    async databaseId => {
      const { db, stores, addCluster } = await setup(databaseId);
      const healthy = await addCluster(
        'a-healthy',
        'production',
        secondsAgo(10),
      );
      const degraded = await addCluster(
        'b-degraded',
        'staging',
        secondsAgo(10),
      );
      const down = await addCluster('c-down', 'staging', secondsAgo(10));
      await addCluster('d-offline', 'staging', secondsAgo(3600));
      await addCluster('e-new', 'staging');

      await addObject(db, healthy.id, node('n1', { instanceType: 'm5.large' }));
      await addObject(db, healthy.id, node('n2', { instanceType: 'm5.large' }));
      await addObject(db, healthy.id, node('gone', { ready: false }), true);
      for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']) {
        await addObject(db, healthy.id, {
          kind,
          metadata: { name: `w-${kind}`, namespace: 'shop' },
        });
      }
      await addObject(
        db,
        healthy.id,
        { kind: 'Deployment', metadata: { name: 'old', namespace: 'shop' } },
        true,
      );

      await addObject(db, degraded.id, node('n1'));
      await addObject(db, degraded.id, node('n2', { pressure: true }));
      await addObject(db, degraded.id, node('n3', { ready: false }));
      await addObject(db, degraded.id, node('n4', { unschedulable: true }));

      await addObject(db, down.id, node('n1', { ready: false }));

      const fleet = new FleetService(stores.fleet, {
        priceBook: createPriceBook(),
        now: () => now,
        aggregateTtlMs: 0,
      });
      const summary = await fleet.summary();
      expect(summary.totals).toEqual({
        total: 5,
        healthy: 1,
        warning: 1,
        critical: 1,
        offline: 2,
      });
      const byName = Object.fromEntries(summary.clusters.map(c => [c.name, c]));
      expect(byName['a-healthy']).toMatchObject({
        health: 'healthy',
        agentStatus: 'connected',
        nodes: { total: 2, ready: 2, notReady: 0, unknown: 0 },
        workloads: 3,
        costBasis: 'price-list',
      });
      const m5 = createPriceBook().instance({
        provider: 'aws',
        region: 'eu-west-1',
        instanceType: 'm5.large',
      });
      expect(m5).toBeDefined();
      expect(byName['a-healthy'].monthlyCost).toBeCloseTo(
        m5!.hourly * 2 * 730,
        1,
      );
      expect(byName['b-degraded']).toMatchObject({
        health: 'warning',
        nodes: { total: 4, ready: 3, notReady: 1, unknown: 0 },
        workloads: 0,
        costBasis: 'defaults',
      });
      expect(byName['b-degraded'].healthReasons).toEqual([
        '1 of 4 nodes are not ready',
        '1 node under memory, disk or PID pressure',
        '1 node is cordoned',
      ]);
      expect(byName['b-degraded'].monthlyCost).toBeGreaterThan(0);
      expect(byName['c-down']).toMatchObject({
        health: 'critical',
        healthReasons: ['No node is ready'],
      });
      expect(byName['d-offline']).toMatchObject({
        health: 'offline',
        agentStatus: 'offline',
        monthlyCost: null,
      });
      expect(byName['e-new']).toMatchObject({
        health: 'offline',
        agentStatus: 'never-connected',
        lastHeartbeatAt: null,
      });

      // A conditional decision narrows the list in SQL.
      const staging = await fleet.summary({
        field: 'environment',
        values: ['production'],
      });
      expect(staging.clusters.map(c => c.name)).toEqual(['a-healthy']);
      expect(staging.totals.total).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'reuses object aggregates within the TTL while heartbeats stay live on %p',
    async databaseId => {
      const { db, stores, addCluster } = await setup(databaseId);
      const cluster = await addCluster('a', 'staging', secondsAgo(5));
      await addObject(db, cluster.id, node('n1'));
      let clock = now;
      const fleet = new FleetService(stores.fleet, {
        now: () => clock,
        aggregateTtlMs: 60_000,
      });
      expect((await fleet.summary()).clusters[0].nodes.total).toBe(1);

      await addObject(db, cluster.id, node('n2'));
      clock = new Date(now.getTime() + 10 * 60_000);
      const later = await fleet.summary();
      // Node counts come from the cached aggregates, the agent's age is live.
      expect(later.clusters[0].nodes.total).toBe(1);
      expect(later.clusters[0].agentStatus).toBe('offline');
    },
  );
});

describe('classifyHealth', () => {
  const base = {
    agentStatus: 'connected' as const,
    nodes: 3,
    ready: 3,
    notReady: 0,
    pressure: 0,
    unschedulable: 0,
    lastError: null,
  };

  it('is healthy with a fresh heartbeat and ready nodes', () => {
    expect(classifyHealth(base)).toEqual({ health: 'healthy', reasons: [] });
  });

  it('warns about a stale agent, missing nodes and agent errors', () => {
    expect(classifyHealth({ ...base, agentStatus: 'stale' }).health).toBe(
      'warning',
    );
    expect(classifyHealth({ ...base, ready: 1, notReady: 0 }).reasons).toEqual([
      '2 nodes report no Ready condition',
    ]);
    expect(classifyHealth({ ...base, nodes: 0, ready: 0 })).toEqual({
      health: 'warning',
      reasons: ['The agent has reported no nodes'],
    });
    expect(classifyHealth({ ...base, lastError: 'forbidden' }).reasons).toEqual(
      ['Agent error: forbidden'],
    );
  });

  it('is critical when half the nodes or more are not ready', () => {
    expect(
      classifyHealth({ ...base, nodes: 4, ready: 2, notReady: 2 }),
    ).toEqual({
      health: 'critical',
      reasons: ['2 of 4 nodes are not ready'],
    });
  });

  it('is offline for revoked and never-connected agents', () => {
    expect(classifyHealth({ ...base, agentStatus: 'revoked' }).health).toBe(
      'offline',
    );
    expect(
      classifyHealth({ ...base, agentStatus: 'never-connected' }).health,
    ).toBe('offline');
  });
});
