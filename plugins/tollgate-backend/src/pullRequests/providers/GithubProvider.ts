import { Octokit } from '@octokit/rest';
import { repoPathOf, withCredentials } from './repoPath';
import type {
  HostedPullRequest,
  PullRequestContent,
  PullRequestProvider,
  PullRequestStatus,
  TrackedPullRequest,
} from './types';

/** A token and the REST API it is for (`https://api.github.com` or GHES's `/api/v3`). */
export interface GithubAccess {
  token: string;
  apiBaseUrl: string;
}

/**
 * GitHub pull requests through Octokit (REST API, docs.github.com/rest/pulls):
 * `POST /repos/{owner}/{repo}/pulls`, `PATCH .../pulls/{n}`, `GET .../pulls/{n}`;
 * labels via `POST /repos/{owner}/{repo}/issues/{n}/labels`.
 */
export class GithubProvider implements PullRequestProvider {
  readonly name = 'github';

  constructor(
    private readonly access: (repo: string) => Promise<GithubAccess>,
  ) {}

  async remote(repo: string) {
    const { token } = await this.access(repo);
    return {
      url: withCredentials(repo, 'x-access-token', token),
      secrets: [token],
    };
  }

  async create(
    repo: string,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const { octokit, owner, name } = await this.client(repo);
    const existing = await octokit.pulls.list({
      owner,
      repo: name,
      state: 'open',
      head: `${owner}:${content.headBranch}`,
      base: content.baseBranch,
    });
    const open = existing.data[0];
    if (open)
      return this.update(
        repo,
        { number: open.number, url: open.html_url },
        content,
      );
    const { data } = await octokit.pulls.create({
      owner,
      repo: name,
      title: content.title,
      body: content.body,
      head: content.headBranch,
      base: content.baseBranch,
    });
    await this.label(octokit, owner, name, data.number, content.labels);
    return { number: data.number, url: data.html_url };
  }

  async update(
    repo: string,
    pullRequest: HostedPullRequest,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const { octokit, owner, name } = await this.client(repo);
    const { data } = await octokit.pulls.update({
      owner,
      repo: name,
      pull_number: pullRequest.number!,
      title: content.title,
      body: content.body,
    });
    await this.label(octokit, owner, name, data.number, content.labels);
    return { number: data.number, url: data.html_url };
  }

  async status(
    repo: string,
    pullRequest: TrackedPullRequest,
  ): Promise<PullRequestStatus> {
    const { octokit, owner, name } = await this.client(repo);
    const { data } = await octokit.pulls.get({
      owner,
      repo: name,
      pull_number: pullRequest.number!,
    });
    if (data.merged) {
      return {
        state: 'merged',
        mergeCommitSha: data.merge_commit_sha ?? undefined,
      };
    }
    return { state: data.state === 'open' ? 'open' : 'closed' };
  }

  private async label(
    octokit: Octokit,
    owner: string,
    repo: string,
    number: number,
    labels: string[],
  ): Promise<void> {
    if (labels.length === 0) return;
    await octokit.issues.addLabels({
      owner,
      repo,
      issue_number: number,
      labels,
    });
  }

  private async client(repo: string) {
    const access = await this.access(repo);
    const [owner, name] = repoPathOf(repo).split('/');
    const octokit = new Octokit({
      auth: access.token,
      baseUrl: access.apiBaseUrl,
    });
    return { octokit, owner, name };
  }
}
