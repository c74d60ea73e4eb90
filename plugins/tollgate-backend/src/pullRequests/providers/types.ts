import type { PullRequestState } from '../types';

/** What a pull request says and where it goes. */
export interface PullRequestContent {
  title: string;
  /** Markdown. */
  body: string;
  labels: string[];
  baseBranch: string;
  headBranch: string;
}

/** A pull request as its host identifies it. */
export interface HostedPullRequest {
  /** PR number, MR iid or Bitbucket id; absent for plain git. */
  number?: number;
  url: string;
}

export interface PullRequestStatus {
  state: PullRequestState;
  mergeCommitSha?: string;
}

/** What the host needs to find a tracked pull request again. */
export interface TrackedPullRequest extends HostedPullRequest {
  baseBranch: string;
  headBranch: string;
  headSha: string;
}

export type ProviderName = 'git' | 'github' | 'gitlab' | 'bitbucket';

/**
 * A Git host's pull requests. The branch itself is always pushed with git;
 * a provider opens, updates and reads the request that merges it.
 */
export interface PullRequestProvider {
  readonly name: ProviderName;
  /**
   * The provider has no pull request page, so the commit message carries the
   * body (cost table, risks, explanation, link back to the preview).
   */
  readonly bodyInCommitMessage?: boolean;
  /** The URL git pushes to (with the host's credentials) and the strings to scrub. */
  remote(repo: string): Promise<{ url: string; secrets: string[] }>;
  /** Opens a pull request for a pushed branch; an open one for the branch is reused. */
  create(repo: string, content: PullRequestContent): Promise<HostedPullRequest>;
  update(
    repo: string,
    pullRequest: HostedPullRequest,
    content: PullRequestContent,
  ): Promise<HostedPullRequest>;
  status(
    repo: string,
    pullRequest: TrackedPullRequest,
  ): Promise<PullRequestStatus>;
}
