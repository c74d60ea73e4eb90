import { requestJson } from './restClient';
import { repoPathOf, withCredentials } from './repoPath';
import type {
  HostedPullRequest,
  PullRequestContent,
  PullRequestProvider,
  PullRequestStatus,
  TrackedPullRequest,
} from './types';

/**
 * Bitbucket Cloud credentials: an access token (Bearer; git user
 * `x-token-auth`) or a username with an app password (Basic).
 */
export interface BitbucketAccess {
  apiBaseUrl: string;
  token?: string;
  username?: string;
  appPassword?: string;
}

type BitbucketPullRequest = {
  id: number;
  state: 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';
  links: { html: { href: string } };
  merge_commit?: { hash: string } | null;
};

/**
 * Bitbucket Cloud pull requests (REST 2.0,
 * developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests):
 * `GET /repositories/{workspace}/{repo_slug}/pullrequests?q=...`,
 * `POST .../pullrequests`, `PUT` and `GET .../pullrequests/{id}`. Bitbucket
 * has no pull request labels; they are listed in the description instead.
 */
export class BitbucketProvider implements PullRequestProvider {
  readonly name = 'bitbucket';

  constructor(
    private readonly access: (repo: string) => Promise<BitbucketAccess>,
  ) {}

  async remote(repo: string) {
    const access = await this.access(repo);
    if (access.token) {
      return {
        url: withCredentials(repo, 'x-token-auth', access.token),
        secrets: [access.token],
      };
    }
    return {
      url: withCredentials(
        repo,
        access.username ?? '',
        access.appPassword ?? '',
      ),
      secrets: [access.appPassword ?? ''].filter(Boolean),
    };
  }

  async create(
    repo: string,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const q = `source.branch.name="${content.headBranch}" AND destination.branch.name="${content.baseBranch}" AND state="OPEN"`;
    const page = await this.call<{ values: BitbucketPullRequest[] }>(
      repo,
      `?${new URLSearchParams({ q })}`,
    );
    if (page.values[0])
      return this.update(repo, toHosted(page.values[0]), content);
    const created = await this.call<BitbucketPullRequest>(repo, '', 'POST', {
      ...fields(content),
      source: { branch: { name: content.headBranch } },
      destination: { branch: { name: content.baseBranch } },
      close_source_branch: true,
    });
    return toHosted(created);
  }

  async update(
    repo: string,
    pullRequest: HostedPullRequest,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const updated = await this.call<BitbucketPullRequest>(
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
    const pr = await this.call<BitbucketPullRequest>(
      repo,
      `/${pullRequest.number}`,
    );
    if (pr.state === 'MERGED') {
      return { state: 'merged', mergeCommitSha: pr.merge_commit?.hash };
    }
    return { state: pr.state === 'OPEN' ? 'open' : 'closed' };
  }

  private async call<T>(
    repo: string,
    suffix: string,
    method = 'GET',
    body?: unknown,
  ) {
    const access = await this.access(repo);
    const authorization = access.token
      ? `Bearer ${access.token}`
      : `Basic ${Buffer.from(
          `${access.username}:${access.appPassword}`,
        ).toString('base64')}`;
    return requestJson<T>(
      `${access.apiBaseUrl.replace(/\/+$/, '')}/repositories/${repoPathOf(
        repo,
      )}/pullrequests${suffix}`,
      { method, headers: { authorization }, body },
    );
  }
}

function fields(content: PullRequestContent) {
  const labels = content.labels.map(label => `\`${label}\``).join(' ');
  return {
    title: content.title,
    description: `${content.body}\n\nLabels: ${labels}`,
  };
}

function toHosted(pr: BitbucketPullRequest): HostedPullRequest {
  return { number: pr.id, url: pr.links.html.href };
}
