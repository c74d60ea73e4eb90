import { repoPathOf, withCredentials } from './repoPath';
import { apiBase, RestPullRequestProvider } from './RestPullRequestProvider';
import type { PullRequestContent, PullRequestStatus } from './types';

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
export class BitbucketProvider extends RestPullRequestProvider<BitbucketPullRequest> {
  readonly name = 'bitbucket';

  constructor(
    private readonly access: (repo: string) => Promise<BitbucketAccess>,
  ) {
    super();
  }

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

  protected async collection(repo: string) {
    const access = await this.access(repo);
    const authorization = access.token
      ? `Bearer ${access.token}`
      : `Basic ${Buffer.from(
          `${access.username}:${access.appPassword}`,
        ).toString('base64')}`;
    return {
      url: `${apiBase(access.apiBaseUrl)}/repositories/${repoPathOf(
        repo,
      )}/pullrequests`,
      headers: { authorization },
    };
  }

  protected openQuery(content: PullRequestContent) {
    const q = `source.branch.name="${content.headBranch}" AND destination.branch.name="${content.baseBranch}" AND state="OPEN"`;
    return new URLSearchParams({ q }).toString();
  }

  protected listed(page: unknown) {
    return (page as { values: BitbucketPullRequest[] }).values;
  }

  protected newRequest(content: PullRequestContent) {
    return {
      ...this.fields(content),
      source: { branch: { name: content.headBranch } },
      destination: { branch: { name: content.baseBranch } },
      close_source_branch: true,
    };
  }

  protected fields(content: PullRequestContent) {
    const labels = content.labels.map(label => `\`${label}\``).join(' ');
    return {
      title: content.title,
      description: `${content.body}\n\nLabels: ${labels}`,
    };
  }

  protected hosted(pr: BitbucketPullRequest) {
    return { number: pr.id, url: pr.links.html.href };
  }

  protected statusOf(pr: BitbucketPullRequest): PullRequestStatus {
    if (pr.state === 'MERGED') {
      return { state: 'merged', mergeCommitSha: pr.merge_commit?.hash };
    }
    return { state: pr.state === 'OPEN' ? 'open' : 'closed' };
  }
}
