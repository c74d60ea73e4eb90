import type { RequestContext } from '../services/AuditService';

/** Where a promotion's change lands, from the target environment's GitOps settings. */
export interface GitOpsTarget {
  /** Clone URL or local path of the GitOps repository. */
  repo: string;
  /** Base branch the pull request targets. */
  branch: string;
  /** Folder of the environment in the repository. */
  path: string;
  layout: 'plain' | 'kustomize' | 'helm-values';
}

export type PullRequestState = 'open' | 'merged' | 'closed';

/** A pull request Tollgate opened (or updated) for a promotion. */
export interface PullRequestRecord {
  id: string;
  promotionId: string;
  /** 'github' | 'gitlab' | 'bitbucket' | 'git' */
  provider: string;
  repo: string;
  baseBranch: string;
  headBranch: string;
  /** Provider number (PR/MR id); absent for plain git. */
  number?: number;
  url: string;
  state: PullRequestState;
  /** Head commit Tollgate pushed. */
  headSha: string;
  /** Set when merged. */
  mergeCommitSha?: string;
  /** Repository-relative files the change touched, sorted. */
  files: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Opens or updates the pull request of an approved promotion. Implemented by
 * the pull-request service; called by the approval flow once a promotion has
 * all the approvals its target environment requires.
 */
export interface PullRequestOpener {
  openForPromotion(
    promotionId: string,
    context: RequestContext,
  ): Promise<PullRequestRecord>;
}

/**
 * Told when a tracked pull request changes state (webhook or poll).
 * Implemented by the approval flow, which moves the promotion to
 * pr_open, merged or pr_closed and audits it.
 */
export interface PromotionStateSink {
  pullRequestChanged(
    record: PullRequestRecord,
    context: RequestContext,
  ): Promise<void>;
}
