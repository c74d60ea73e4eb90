import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeRepo } from './PullRequestStore';
import type { ReportedChange } from './PullRequestService';

/**
 * GitHub signs each delivery with HMAC-SHA256 of the raw body under the
 * webhook secret, sent as `X-Hub-Signature-256: sha256=<hex>`
 * (docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries).
 */
export function isValidGithubSignature(
  secret: string,
  body: Buffer,
  header: string | undefined,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = `sha256=${createHmac('sha256', secret)
    .update(body)
    .digest('hex')}`;
  return sameText(expected, header);
}

/**
 * GitLab sends the webhook's secret token as is in `X-Gitlab-Token`
 * (docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token).
 */
export function isValidGitlabToken(
  secret: string,
  header: string | undefined,
): boolean {
  return header !== undefined && sameText(secret, header);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

type GithubPullRequestEvent = {
  action?: string;
  pull_request?: {
    number: number;
    merged?: boolean;
    merge_commit_sha?: string | null;
  };
  repository?: { html_url?: string };
};

/**
 * A `pull_request` event (`X-GitHub-Event: pull_request`): `closed` with
 * `merged: true` is a merge, `closed` otherwise a close, `reopened` opens
 * again. Other events and actions say nothing about state.
 */
export function githubChange(
  event: string | undefined,
  payload: GithubPullRequestEvent,
): ReportedChange | undefined {
  const pr = payload.pull_request;
  const repo = payload.repository?.html_url;
  if (event !== 'pull_request' || !pr || !repo) return undefined;
  if (payload.action === 'closed') {
    return {
      provider: 'github',
      repo: normalizeRepo(repo),
      number: pr.number,
      status: pr.merged
        ? { state: 'merged', mergeCommitSha: pr.merge_commit_sha ?? undefined }
        : { state: 'closed' },
    };
  }
  if (payload.action === 'reopened') {
    return {
      provider: 'github',
      repo: normalizeRepo(repo),
      number: pr.number,
      status: { state: 'open' },
    };
  }
  return undefined;
}

type GitlabMergeRequestEvent = {
  object_kind?: string;
  project?: { web_url?: string };
  object_attributes?: {
    iid: number;
    action?: string;
    merge_commit_sha?: string | null;
    last_commit?: { id?: string };
  };
};

/** A Merge Request Hook: actions `merge`, `close` and `reopen` change state. */
export function gitlabChange(
  payload: GitlabMergeRequestEvent,
): ReportedChange | undefined {
  const mr = payload.object_attributes;
  const repo = payload.project?.web_url;
  if (payload.object_kind !== 'merge_request' || !mr || !repo) return undefined;
  const base = {
    provider: 'gitlab',
    repo: normalizeRepo(repo),
    number: mr.iid,
  };
  switch (mr.action) {
    case 'merge':
      return {
        ...base,
        status: {
          state: 'merged',
          mergeCommitSha: mr.merge_commit_sha ?? mr.last_commit?.id,
        },
      };
    case 'close':
      return { ...base, status: { state: 'closed' } };
    case 'reopen':
      return { ...base, status: { state: 'open' } };
    default:
      return undefined;
  }
}
