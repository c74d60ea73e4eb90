import { NotFoundError } from '@backstage/errors';
import {
  describeWorkloadSelector,
  selectWorkloadObjects,
  WORKLOAD_MANIFEST_KINDS,
  type Cluster,
  type WorkloadSelector,
} from '@tollgate/plugin-tollgate-common';
import type { ObjectScope, StoredObject } from '../stores/PreviewInputStore';
import type { TollgateStores } from '../stores/TollgateStores';
import { ClusterPodCache } from './ClusterPodCache';
import { objectsFingerprint, valueFingerprint } from './fingerprints';
import type {
  ClusterLocation,
  LoadedContext,
  LoadedSide,
  SideRole,
} from './SideLocator';

const MANIFEST_KINDS: readonly string[] = WORKLOAD_MANIFEST_KINDS;
/** Namespaced kinds only the target's context needs. */
const CONTEXT_KINDS = ['ResourceQuota', 'PodMetrics'];
/** Cluster-scoped kinds the target's context needs. */
const CLUSTER_CONTEXT_KINDS = ['Node', 'StorageClass'];

/**
 * Reads a side from what the cluster's agent reported. The source needs
 * only the workload's kinds in its namespace; the target also needs its
 * namespace's quotas and metrics, the cluster's nodes and storage classes
 * (all in the same query) and the cluster's Pods for free node capacity
 * (cached until they change).
 */
export class ClusterSideReader {
  private readonly pods = new ClusterPodCache();

  constructor(private readonly stores: TollgateStores) {}

  async read(
    location: ClusterLocation,
    selector: WorkloadSelector,
    options: { role: SideRole; withContext: boolean; allowEmpty?: boolean },
  ): Promise<{ side: LoadedSide; context?: LoadedContext }> {
    const { cluster, namespace } = location;
    const stored = await this.stores.previewInputs.listLive(
      cluster.id,
      scopesFor(namespace, options.withContext),
    );
    const workload = workloadIn(stored, namespace, selector);
    if (workload.length === 0 && !options.allowEmpty) {
      throw new NotFoundError(
        `No Deployment, StatefulSet or DaemonSet with ${describeWorkloadSelector(
          selector,
        )} in namespace '${namespace}' of cluster '${cluster.name}' (the ${
          options.role
        })`,
      );
    }
    const side: LoadedSide = {
      objects: workload.map(entry => entry.object),
      namespace,
      record: {
        type: 'cluster',
        environment: location.environment,
        cluster_id: cluster.id,
        cluster_name: cluster.name,
        namespace,
        snapshot_id: await this.stores.previewInputs.latestCompleteSnapshotId(
          cluster.id,
        ),
        last_seen_at: newest(workload.map(entry => entry.lastSeenAt)),
        object_count: workload.length,
        objects_fingerprint: objectsFingerprint(workload),
      },
    };
    if (!options.withContext) return { side };
    return { side, context: await this.contextOf(cluster, stored, workload) };
  }

  /** The context of a namespace, for a target read from Git. */
  async readContext(
    cluster: Cluster,
    namespace: string,
    selector: WorkloadSelector,
  ): Promise<LoadedContext> {
    const stored = await this.stores.previewInputs.listLive(
      cluster.id,
      scopesFor(namespace, true),
    );
    return this.contextOf(
      cluster,
      stored,
      workloadIn(stored, namespace, selector),
    );
  }

  private async contextOf(
    cluster: Cluster,
    stored: StoredObject[],
    workload: StoredObject[],
  ): Promise<LoadedContext> {
    const ofKind = (kind: string) =>
      stored.filter(entry => entry.object.kind === kind);
    const inWorkload = new Set(workload);
    const others = stored.filter(
      entry =>
        MANIFEST_KINDS.includes(entry.object.kind) && !inWorkload.has(entry),
    );
    const surroundings = [
      ...ofKind('Node'),
      ...ofKind('StorageClass'),
      ...ofKind('ResourceQuota'),
      ...ofKind('PodMetrics'),
      ...others,
    ];
    const { pods, marker } = await this.pods.podsOf(
      this.stores.previewInputs,
      cluster.id,
    );
    const objects = (entries: StoredObject[]) => entries.map(e => e.object);
    return {
      context: {
        provider: cluster.provider,
        region: cluster.region,
        nodes: objects(ofKind('Node')),
        storageClasses: objects(ofKind('StorageClass')),
        resourceQuotas: objects(ofKind('ResourceQuota')),
        podMetrics: objects(ofKind('PodMetrics')),
        namespaceObjects: objects(others),
        pods,
      },
      fingerprint: valueFingerprint({
        objects: objectsFingerprint(surroundings),
        pods: marker,
      }),
    };
  }
}

function scopesFor(namespace: string, withContext: boolean): ObjectScope[] {
  if (!withContext) return [{ namespace, kinds: MANIFEST_KINDS }];
  return [
    { namespace, kinds: [...MANIFEST_KINDS, ...CONTEXT_KINDS] },
    { namespace: '', kinds: CLUSTER_CONTEXT_KINDS },
  ];
}

function workloadIn(
  stored: StoredObject[],
  namespace: string,
  selector: WorkloadSelector,
): StoredObject[] {
  const candidates = stored.filter(
    entry =>
      entry.object.metadata.namespace === namespace &&
      MANIFEST_KINDS.includes(entry.object.kind),
  );
  const selected = new Set(
    selectWorkloadObjects(
      candidates.map(entry => entry.object),
      selector,
    ),
  );
  return candidates.filter(entry => selected.has(entry.object));
}

function newest(timestamps: string[]): string | null {
  return timestamps.length ? timestamps.sort().at(-1)! : null;
}
