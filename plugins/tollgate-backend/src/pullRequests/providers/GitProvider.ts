import { redactUrl, userinfoSecrets } from '../../gitops/redact';
import { WorkTree } from '../git/WorkTree';
import type {
  HostedPullRequest,
  PullRequestContent,
  PullRequestProvider,
  PullRequestStatus,
  TrackedPullRequest,
} from './types';

/**
 * Plain git: the "pull request" is the pushed branch, pointed at by
 * `<repo>#<branch>`. It is merged once its head commit is in the base
 * branch (the merge commit is the first on the base's first-parent line
 * that contains it), closed when the branch is gone without being merged.
 */
export class GitProvider implements PullRequestProvider {
  readonly name = 'git';
  readonly bodyInCommitMessage = true;

  constructor(private readonly workRoot?: string) {}

  async remote(repo: string) {
    return { url: repo, secrets: userinfoSecrets(repo) };
  }

  async create(
    repo: string,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    return { url: `${redactUrl(repo)}#${content.headBranch}` };
  }

  async update(
    repo: string,
    _pullRequest: HostedPullRequest,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    return this.create(repo, content);
  }

  async status(
    repo: string,
    pullRequest: TrackedPullRequest,
  ): Promise<PullRequestStatus> {
    const workTree = await WorkTree.create(
      await this.remote(repo),
      this.workRoot,
    );
    try {
      const base = await workTree.fetchBranch(pullRequest.baseBranch);
      if (await workTree.isAncestor(pullRequest.headSha, base)) {
        return {
          state: 'merged',
          mergeCommitSha: await workTree.mergeCommitOf(
            pullRequest.headSha,
            base,
          ),
        };
      }
      const head = await workTree.remoteBranch(pullRequest.headBranch);
      return { state: head ? 'open' : 'closed' };
    } finally {
      await workTree.dispose();
    }
  }
}
