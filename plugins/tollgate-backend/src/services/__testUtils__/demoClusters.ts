import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Cluster } from '@tollgate/plugin-tollgate-common';
import type { TollgateStores } from '../../stores/TollgateStores';
import { AgentService } from '../AgentService';
import { AuditService } from '../AuditService';
import { IngestService } from '../IngestService';

const EXAMPLES = join(__dirname, '../../../../../examples/clusters');

export type DemoEnvironment = 'staging' | 'production';

/** The objects of examples/clusters/<environment>, as the demo's agent reads them. */
export function demoClusterObjects(environment: DemoEnvironment): unknown[] {
  const folder = join(EXAMPLES, environment);
  return readdirSync(folder)
    .filter(file => file.endsWith('.yaml'))
    .sort()
    .flatMap(file =>
      parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map(doc =>
        doc.toJS(),
      ),
    )
    .filter(Boolean);
}

/**
 * Registers demo-staging and demo-production as app-config.yaml declares
 * them and pushes examples/clusters/ through ingest as one full snapshot
 * each, as the demo's agents do.
 */
export async function storeDemoClusters(
  stores: TollgateStores,
  now = new Date('2026-12-01T09:00:00.000Z'),
): Promise<Record<DemoEnvironment, Cluster>> {
  const clock = () => now;
  const admin = { actor: 'user:default/admin', requestId: 'seed' };
  const agents = new AgentService(
    stores,
    new AuditService(clock),
    { previousTokenGraceMs: 0 },
    clock,
  );
  const ingest = new IngestService(stores, clock);
  const clusters = {} as Record<DemoEnvironment, Cluster>;
  for (const environment of ['staging', 'production'] as const) {
    const cluster = await stores.clusters.insert(
      {
        id: randomUUID(),
        name: `demo-${environment}`,
        displayName: `Demo ${environment}`,
        provider: 'aws',
        region: 'eu-west-1',
        environment,
        metadata: {},
        createdBy: admin.actor,
      },
      now,
    );
    const { token } = await agents.issueToken(cluster.id, admin);
    const agent = await ingest.authenticate(`Bearer ${token}`);
    const result = await ingest.applySnapshot(agent, {
      snapshotId: randomUUID(),
      sequence: 1,
      final: true,
      objects: demoClusterObjects(environment),
    });
    if (result.rejected.length > 0) {
      throw new Error(
        `Demo objects refused: ${JSON.stringify(result.rejected)}`,
      );
    }
    clusters[environment] = cluster;
  }
  return clusters;
}
