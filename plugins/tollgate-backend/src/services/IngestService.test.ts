import { randomUUID } from 'node:crypto';
import { AuthenticationError, ConflictError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import { deployment, namespace } from '../__testUtils__/objects';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import { AgentService } from './AgentService';
import { AuditService } from './AuditService';
import { IngestService } from './IngestService';

jest.setTimeout(60_000);

const admin = { actor: 'user:default/admin', requestId: 'r' };

describe('IngestService', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    const stores = new TollgateStores(db);
    let now = new Date('2026-11-23T12:00:00.000Z');
    const clock = () => now;
    const audit = new AuditService(clock);
    const agents = new AgentService(
      stores,
      audit,
      { previousTokenGraceMs: 60 * 60_000 },
      clock,
    );
    const ingest = new IngestService(stores, clock);
    const cluster = await stores.clusters.insert(
      {
        id: randomUUID(),
        name: 'stg',
        displayName: 'stg',
        provider: 'aws',
        region: 'eu-west-1',
        environment: 'staging',
        metadata: {},
        createdBy: 'user:default/admin',
      },
      now,
    );
    const { token } = await agents.issueToken(cluster.id, admin);
    const agent = await ingest.authenticate(`Bearer ${token}`);
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    return { db, stores, agents, ingest, cluster, token, agent, advance };
  }

  it.each(databases.eachSupportedId())(
    'accepts current tokens, the previous one during its grace period only, and no revoked one on %p',
    async databaseId => {
      const { agents, ingest, cluster, token, advance } = await setUp(
        databaseId,
      );
      await expect(ingest.authenticate(undefined)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
      await expect(
        ingest.authenticate('Bearer tgat_wrong'),
      ).rejects.toBeInstanceOf(AuthenticationError);

      const rotated = await agents.issueToken(cluster.id, admin);
      expect(rotated.previousTokenExpiresAt).toBe('2026-11-23T13:00:00.000Z');
      await expect(
        ingest.authenticate(`Bearer ${token}`),
      ).resolves.toMatchObject({
        clusterId: cluster.id,
      });
      await expect(
        ingest.authenticate(`Bearer ${rotated.token}`),
      ).resolves.toBeDefined();

      advance(61 * 60_000);
      await expect(
        ingest.authenticate(`Bearer ${token}`),
      ).rejects.toBeInstanceOf(AuthenticationError);
      await expect(
        ingest.authenticate(`Bearer ${rotated.token}`),
      ).resolves.toBeDefined();

      await agents.revokeToken(cluster.id, admin);
      await expect(
        ingest.authenticate(`Bearer ${rotated.token}`),
      ).rejects.toBeInstanceOf(AuthenticationError);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a snapshot in parts, keeps valid objects of a batch and explains the invalid one on %p',
    async databaseId => {
      const { stores, ingest, agent, cluster } = await setUp(databaseId);
      const snapshotId = randomUUID();
      const first = await ingest.applySnapshot(agent, {
        snapshotId,
        sequence: 1,
        final: false,
        objects: [namespace('shop'), deployment('api')],
      });
      expect(first).toEqual({ status: 'applied', accepted: 2, rejected: [] });

      const second = await ingest.applySnapshot(agent, {
        snapshotId,
        sequence: 2,
        final: true,
        objects: [
          deployment('web'),
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' } },
          { kind: 'Pod' },
        ],
      });
      expect(second.status).toBe('applied');
      expect(second.accepted).toBe(1);
      expect(second.rejected).toEqual([
        { index: 1, reason: expect.stringContaining('kind') },
        { index: 2, reason: expect.stringContaining('apiVersion') },
      ]);

      const objects = await stores.objects.list(cluster.id);
      expect(objects.map(o => `${o.kind}/${o.name}`)).toEqual([
        'Deployment/api',
        'Deployment/web',
        'Namespace/shop',
      ]);
      expect(objects[0].hash).toMatch(/^[0-9a-f]{64}$/);
      const [snapshot] = await stores.objects.listSnapshots(cluster.id);
      expect(snapshot).toMatchObject({
        id: snapshotId,
        status: 'complete',
        objectCount: 3,
        rejectedCount: 2,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'ignores a replayed batch and refuses one that skips ahead on %p',
    async databaseId => {
      const { stores, ingest, agent, cluster } = await setUp(databaseId);
      const snapshotId = randomUUID();
      const snapshot = {
        snapshotId,
        sequence: 1,
        final: true,
        objects: [deployment('api')],
      };
      await ingest.applySnapshot(agent, snapshot);
      const delta = {
        snapshotId,
        sequence: 2,
        changes: [
          {
            type: 'upsert' as const,
            object: deployment('api', 'ghcr.io/acme/api:1.5.0'),
          },
        ],
      };
      expect((await ingest.applyDeltas(agent, delta)).status).toBe('applied');
      const before = await stores.objects.list(cluster.id);

      expect(await ingest.applySnapshot(agent, snapshot)).toEqual({
        status: 'duplicate',
        accepted: 0,
        rejected: [],
      });
      expect((await ingest.applyDeltas(agent, delta)).status).toBe('duplicate');
      expect(await stores.objects.list(cluster.id)).toEqual(before);

      await expect(
        ingest.applyDeltas(agent, { snapshotId, sequence: 4, changes: [] }),
      ).rejects.toThrow(
        new ConflictError(
          'Resnapshot required: batch 4 arrived but 3 was expected',
        ),
      );
      await expect(
        ingest.applyDeltas(agent, {
          snapshotId: randomUUID(),
          sequence: 2,
          changes: [],
        }),
      ).rejects.toBeInstanceOf(ConflictError);
    },
  );

  it.each(databases.eachSupportedId())(
    'applies deltas, and a new snapshot marks what it no longer contains as deleted on %p',
    async databaseId => {
      const { stores, ingest, agent, cluster } = await setUp(databaseId);
      const first = randomUUID();
      await ingest.applySnapshot(agent, {
        snapshotId: first,
        sequence: 1,
        final: true,
        objects: [deployment('api'), deployment('web'), deployment('old')],
      });
      await ingest.applyDeltas(agent, {
        snapshotId: first,
        sequence: 2,
        changes: [
          {
            type: 'upsert',
            object: deployment('api', 'ghcr.io/acme/api:2.0.0'),
          },
          { type: 'delete', object: deployment('web') },
        ],
      });
      let live = await stores.objects.list(cluster.id);
      expect(live.map(o => o.name)).toEqual(['api', 'old']);
      expect(
        (live[0].object as any).spec.template.spec.containers[0].image,
      ).toBe('ghcr.io/acme/api:2.0.0');

      // The agent restarts: a fresh session without `old`.
      const second = randomUUID();
      await ingest.applySnapshot(agent, {
        snapshotId: second,
        sequence: 1,
        final: true,
        objects: [
          deployment('api', 'ghcr.io/acme/api:2.0.0'),
          deployment('web'),
        ],
      });
      live = await stores.objects.list(cluster.id);
      expect(live.map(o => o.name)).toEqual(['api', 'web']);
      const all = await stores.objects.list(cluster.id, {
        includeDeleted: true,
      });
      expect(all.find(o => o.name === 'old')?.deletedAt).toBe(
        '2026-11-23T12:00:00.000Z',
      );
      expect(all.find(o => o.name === 'web')?.deletedAt).toBeNull();
    },
  );

  it.each(databases.eachSupportedId())(
    'never stores env values, ConfigMap data or last-applied copies on %p',
    async databaseId => {
      const { db, ingest, agent } = await setUp(databaseId);
      const leaky = deployment('api') as any;
      leaky.metadata.annotations[
        'kubectl.kubernetes.io/last-applied-configuration'
      ] = '{"spec":{"password":"hunter2"}}';
      leaky.metadata.managedFields = [{ manager: 'kubectl' }];
      leaky.spec.template.spec.containers[0].env = [
        {
          name: 'AWS_SECRET_ACCESS_KEY',
          value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
        {
          name: 'DB_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
        },
      ];
      const configMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'shop' },
        data: { 'api.key': 'sk-live-1234567890' },
      };
      await ingest.applySnapshot(agent, {
        snapshotId: randomUUID(),
        sequence: 1,
        final: true,
        objects: [leaky, configMap],
      });
      const stored = JSON.stringify(
        await db('cluster_objects').select('object'),
      );
      expect(stored).not.toContain('wJalrXUtnFEMI');
      expect(stored).not.toContain('sk-live');
      expect(stored).not.toContain('hunter2');
      expect(stored).not.toContain('managedFields');
      expect(stored).toContain('AWS_SECRET_ACCESS_KEY');
      expect(stored).toContain('secretKeyRef');
      expect(stored).toContain('api.key');
    },
  );

  it.each(databases.eachSupportedId())(
    'records heartbeats and asks an agent in an unknown session to re-snapshot on %p',
    async databaseId => {
      const { agents, ingest, agent, cluster, advance } = await setUp(
        databaseId,
      );
      expect((await agents.getInfo(cluster.id)).status).toBe('never-connected');
      const sessionId = randomUUID();
      await ingest.applySnapshot(agent, {
        snapshotId: sessionId,
        sequence: 1,
        final: true,
        objects: [],
      });
      const fresh = await ingest.authenticate(
        `Bearer ${(await agents.issueToken(cluster.id, admin)).token}`,
      );
      expect(
        await ingest.heartbeat(fresh, {
          agentVersion: '0.1.0',
          kubernetesVersion: 'v1.31.2',
          objectCounts: { Pod: 12 },
          snapshotId: sessionId,
        }),
      ).toEqual({ resnapshot: false });
      expect(
        await ingest.heartbeat(fresh, {
          agentVersion: '0.1.0',
          objectCounts: {},
          snapshotId: randomUUID(),
        }),
      ).toEqual({ resnapshot: true });

      const info = await agents.getInfo(cluster.id);
      expect(info).toMatchObject({
        status: 'connected',
        agentVersion: '0.1.0',
      });
      expect(JSON.stringify(info)).not.toMatch(/tgat_|token_hash|tokenHash/);
      advance(2 * 60_000);
      expect((await agents.getInfo(cluster.id)).status).toBe('stale');
      advance(10 * 60_000);
      expect((await agents.getInfo(cluster.id)).status).toBe('offline');
    },
  );
});
