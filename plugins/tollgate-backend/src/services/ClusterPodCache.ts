import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import type { PreviewInputStore } from '../stores/PreviewInputStore';

interface Entry {
  marker: string;
  pods: K8sObject[];
}

/**
 * Every Pod of a cluster, for the free-capacity check of its nodes. Reading
 * and parsing thousands of Pods per preview is the slow part of a preview,
 * so they are kept per cluster and re-read only when a cheap aggregate
 * (live count, newest last-seen and deleted times) says they changed. Safe
 * with several backend replicas: the marker comes from the shared database.
 */
export class ClusterPodCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxClusters = 16) {}

  async podsOf(
    store: PreviewInputStore,
    clusterId: string,
  ): Promise<{ pods: K8sObject[]; marker: string }> {
    const marker = JSON.stringify(await store.podSetMarker(clusterId));
    const cached = this.entries.get(clusterId);
    if (cached?.marker === marker) return cached;
    const entry = { marker, pods: await store.listPods(clusterId) };
    this.remember(clusterId, entry);
    return entry;
  }

  /** Least recently filled first out. */
  private remember(clusterId: string, entry: Entry) {
    this.entries.delete(clusterId);
    this.entries.set(clusterId, entry);
    if (this.entries.size > this.maxClusters) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
