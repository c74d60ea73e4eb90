import { repoPathOf, withCredentials } from './repoPath';
import { apiBase, RestPullRequestProvider } from './RestPullRequestProvider';
import type { PullRequestContent, PullRequestStatus } from './types';

/** A token and the REST API it is for, e.g. `https://gitlab.com/api/v4`. */
export interface GitlabAccess {
  token: string;
  apiBaseUrl: string;
}

type MergeRequest = {
  iid: number;
  web_url: string;
  state: 'opened' | 'closed' | 'locked' | 'merged';
  merge_commit_sha: string | null;
  squash_commit_sha?: string | null;
  sha: string;
};

/**
 * GitLab merge requests (REST API v4, docs.gitlab.com/api/merge_requests):
 * `GET /projects/:id/merge_requests?source_branch=&state=opened`,
 * `POST /projects/:id/merge_requests`, `PUT` and `GET .../merge_requests/:iid`,
 * with the `PRIVATE-TOKEN` header; `:id` is the URL-encoded project path.
 */
export class GitlabProvider extends RestPullRequestProvider<MergeRequest> {
  readonly name = 'gitlab';

  constructor(
    private readonly access: (repo: string) => Promise<GitlabAccess>,
  ) {
    super();
  }

  async remote(repo: string) {
    const { token } = await this.access(repo);
    return { url: withCredentials(repo, 'oauth2', token), secrets: [token] };
  }

  protected async collection(repo: string) {
    const { token, apiBaseUrl } = await this.access(repo);
    const project = encodeURIComponent(repoPathOf(repo));
    return {
      url: `${apiBase(apiBaseUrl)}/projects/${project}/merge_requests`,
      headers: { 'PRIVATE-TOKEN': token },
    };
  }

  protected openQuery(content: PullRequestContent) {
    return new URLSearchParams({
      source_branch: content.headBranch,
      target_branch: content.baseBranch,
      state: 'opened',
    }).toString();
  }

  protected listed(page: unknown) {
    return page as MergeRequest[];
  }

  protected newRequest(content: PullRequestContent) {
    return {
      source_branch: content.headBranch,
      target_branch: content.baseBranch,
      ...this.fields(content),
      remove_source_branch: true,
    };
  }

  protected fields(content: PullRequestContent) {
    return {
      title: content.title,
      description: content.body,
      labels: content.labels.join(','),
    };
  }

  protected hosted(mr: MergeRequest) {
    return { number: mr.iid, url: mr.web_url };
  }

  protected statusOf(mr: MergeRequest): PullRequestStatus {
    if (mr.state === 'merged') {
      // Fast-forward merges have no merge commit: the head is on the base.
      const sha = mr.merge_commit_sha ?? mr.squash_commit_sha ?? mr.sha;
      return { state: 'merged', mergeCommitSha: sha };
    }
    return { state: mr.state === 'opened' ? 'open' : 'closed' };
  }
}
