import { requestJson } from './restClient';
import { repoPathOf, withCredentials } from './repoPath';
import type {
  HostedPullRequest,
  PullRequestContent,
  PullRequestProvider,
  PullRequestStatus,
  TrackedPullRequest,
} from './types';

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
export class GitlabProvider implements PullRequestProvider {
  readonly name = 'gitlab';

  constructor(
    private readonly access: (repo: string) => Promise<GitlabAccess>,
  ) {}

  async remote(repo: string) {
    const { token } = await this.access(repo);
    return { url: withCredentials(repo, 'oauth2', token), secrets: [token] };
  }

  async create(
    repo: string,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const query = new URLSearchParams({
      source_branch: content.headBranch,
      target_branch: content.baseBranch,
      state: 'opened',
    });
    const open = await this.call<MergeRequest[]>(repo, `?${query}`);
    if (open[0]) return this.update(repo, toHosted(open[0]), content);
    const created = await this.call<MergeRequest>(repo, '', 'POST', {
      source_branch: content.headBranch,
      target_branch: content.baseBranch,
      ...fields(content),
      remove_source_branch: true,
    });
    return toHosted(created);
  }

  async update(
    repo: string,
    pullRequest: HostedPullRequest,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const updated = await this.call<MergeRequest>(
      repo,
      `/${pullRequest.number}`,
      'PUT',
      fields(content),
    );
    return toHosted(updated);
  }

  async status(
    repo: string,
    pullRequest: TrackedPullRequest,
  ): Promise<PullRequestStatus> {
    const mr = await this.call<MergeRequest>(repo, `/${pullRequest.number}`);
    if (mr.state === 'merged') {
      // Fast-forward merges have no merge commit: the head is on the base.
      const sha = mr.merge_commit_sha ?? mr.squash_commit_sha ?? mr.sha;
      return { state: 'merged', mergeCommitSha: sha };
    }
    return { state: mr.state === 'opened' ? 'open' : 'closed' };
  }

  private async call<T>(
    repo: string,
    suffix: string,
    method = 'GET',
    body?: unknown,
  ) {
    const { token, apiBaseUrl } = await this.access(repo);
    const project = encodeURIComponent(repoPathOf(repo));
    return requestJson<T>(
      `${apiBaseUrl.replace(
        /\/+$/,
        '',
      )}/projects/${project}/merge_requests${suffix}`,
      { method, headers: { 'PRIVATE-TOKEN': token }, body },
    );
  }
}

function fields(content: PullRequestContent) {
  return {
    title: content.title,
    description: content.body,
    labels: content.labels.join(','),
  };
}

function toHosted(mr: MergeRequest): HostedPullRequest {
  return { number: mr.iid, url: mr.web_url };
}
