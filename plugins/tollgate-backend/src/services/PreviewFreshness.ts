import type {
  ClusterPromotionSide,
  GitPromotionSide,
  PromotionListItem,
  PromotionSide,
  WorkloadSelector,
} from '@tollgate/plugin-tollgate-common';
import { redactMessage, redactUrl } from '../gitops/redact';
import type { GitManifestSource } from '../gitops/types';
import type { TollgateStores } from '../stores/TollgateStores';
import { ClusterSideReader } from './ClusterSideReader';
import { GitSideReader } from './GitSideReader';
import type { SideRole } from './SideLocator';

const shortSha = (sha: string) => sha.slice(0, 12);

/**
 * Tells whether a preview still describes what would be promoted: each
 * side's workload objects are read again (from the cluster store, or from
 * Git at the same ref) and compared with the fingerprints and commits stored
 * with the preview. The target's surroundings (nodes, Pods) are not
 * compared: they change all the time and only move the cost estimate.
 */
export class PreviewFreshness {
  private readonly clusterReader: ClusterSideReader;
  private readonly gitReader: GitSideReader;

  /**
   * @param allowedRepos - clone URLs, possibly with tokens, that a stored
   * (redacted) repository may stand for.
   */
  constructor(
    private readonly stores: TollgateStores,
    git?: GitManifestSource,
    private readonly allowedRepos: readonly string[] = [],
  ) {
    this.clusterReader = new ClusterSideReader(stores);
    this.gitReader = new GitSideReader(git);
  }

  /** What changed since the preview, one sentence per side; empty when nothing did. */
  async changes(promotion: PromotionListItem): Promise<string[]> {
    const selector: WorkloadSelector = {
      name: promotion.workload.name,
      ...(promotion.workload.label_selector
        ? { labelSelector: promotion.workload.label_selector }
        : {}),
    };
    const changes = await Promise.all([
      this.sideChange(promotion.source, selector, 'source'),
      this.sideChange(promotion.target, selector, 'target'),
    ]);
    return changes.filter((change): change is string => change !== undefined);
  }

  private sideChange(
    side: PromotionSide,
    selector: WorkloadSelector,
    role: SideRole,
  ): Promise<string | undefined> {
    return side.type === 'cluster'
      ? this.clusterChange(side, selector, role)
      : this.gitChange(side, selector, role);
  }

  private async clusterChange(
    side: ClusterPromotionSide,
    selector: WorkloadSelector,
    role: SideRole,
  ): Promise<string | undefined> {
    const where = `${side.cluster_name}/${side.namespace}`;
    const cluster = await this.stores.clusters.get(side.cluster_id);
    if (!cluster) {
      return `the ${role}'s cluster ${side.cluster_name} is no longer registered`;
    }
    const { side: now } = await this.clusterReader.read(
      {
        type: 'cluster',
        environment: side.environment,
        cluster,
        namespace: side.namespace,
      },
      selector,
      { role, withContext: false, allowEmpty: true },
    );
    if (now.record.objects_fingerprint === side.objects_fingerprint) {
      return undefined;
    }
    const seen = now.record.type === 'cluster' && now.record.last_seen_at;
    return `the ${role}'s objects in ${where} changed${
      seen ? ` (last reported ${seen})` : ''
    }`;
  }

  private async gitChange(
    side: GitPromotionSide,
    selector: WorkloadSelector,
    role: SideRole,
  ): Promise<string | undefined> {
    const where = `${side.path} at ${side.ref}`;
    let now;
    try {
      now = await this.gitReader.read(
        {
          type: 'git',
          environment: side.environment,
          repo: this.cloneUrlOf(side.repo),
          ref: side.ref,
          path: side.path,
        },
        selector,
        { role, allowEmpty: true },
      );
    } catch (error) {
      // Unverifiable counts as changed: approval waits until it can be checked.
      return `the ${role}'s ${where} could not be read again: ${redactMessage(
        (error as Error).message,
      )}`;
    }
    const record = now.record as GitPromotionSide;
    if (record.commit !== side.commit) {
      return `the ${role}'s ref ${side.ref} moved from ${shortSha(
        side.commit,
      )} to ${shortSha(record.commit)}`;
    }
    if (record.objects_fingerprint !== side.objects_fingerprint) {
      return `the ${role}'s objects in ${where} changed`;
    }
    return undefined;
  }

  /** The configured URL (with its token) a redacted repository stands for. */
  private cloneUrlOf(shownRepo: string): string {
    return (
      this.allowedRepos.find(repo => redactUrl(repo) === shownRepo) ?? shownRepo
    );
  }
}
