import { requestJson } from './restClient';
import type {
  HostedPullRequest,
  ProviderName,
  PullRequestContent,
  PullRequestProvider,
  PullRequestStatus,
  TrackedPullRequest,
} from './types';

/** A repository's pull request collection on a REST host, and how to call it. */
export interface PullRequestCollection {
  /** e.g. `.../projects/acme%2Fgitops/merge_requests`. */
  url: string;
  headers: Record<string, string>;
}

/**
 * Pull requests on a host whose REST API lists, creates (POST), updates
 * (PUT) and reads (GET) them under one collection URL, as GitLab and
 * Bitbucket do. The open request for a branch is updated, not duplicated.
 * `T` is the host's pull request as its API returns it.
 */
export abstract class RestPullRequestProvider<T>
  implements PullRequestProvider
{
  abstract readonly name: ProviderName;
  abstract remote(repo: string): Promise<{ url: string; secrets: string[] }>;

  protected abstract collection(repo: string): Promise<PullRequestCollection>;
  /** The query string that lists the open requests from head to base. */
  protected abstract openQuery(content: PullRequestContent): string;
  /** The requests of a listing answer. */
  protected abstract listed(page: unknown): T[];
  /** Body of a new request: the head and base, and `fields`. */
  protected abstract newRequest(content: PullRequestContent): object;
  /** What an update sets: title, description, labels. */
  protected abstract fields(content: PullRequestContent): object;
  protected abstract hosted(pullRequest: T): HostedPullRequest;
  protected abstract statusOf(pullRequest: T): PullRequestStatus;

  async create(
    repo: string,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    const open = this.listed(
      await this.call(repo, `?${this.openQuery(content)}`),
    );
    if (open[0]) return this.update(repo, this.hosted(open[0]), content);
    return this.hosted(
      await this.call<T>(repo, '', 'POST', this.newRequest(content)),
    );
  }

  async update(
    repo: string,
    pullRequest: HostedPullRequest,
    content: PullRequestContent,
  ): Promise<HostedPullRequest> {
    return this.hosted(
      await this.call<T>(
        repo,
        `/${pullRequest.number}`,
        'PUT',
        this.fields(content),
      ),
    );
  }

  async status(
    repo: string,
    pullRequest: TrackedPullRequest,
  ): Promise<PullRequestStatus> {
    return this.statusOf(await this.call<T>(repo, `/${pullRequest.number}`));
  }

  private async call<R>(
    repo: string,
    suffix: string,
    method = 'GET',
    body?: unknown,
  ): Promise<R> {
    const { url, headers } = await this.collection(repo);
    return requestJson<R>(`${url}${suffix}`, { method, headers, body });
  }
}

/** An API base URL without its trailing slashes, to append paths to. */
export function apiBase(url: string): string {
  return url.replace(/\/+$/, '');
}
