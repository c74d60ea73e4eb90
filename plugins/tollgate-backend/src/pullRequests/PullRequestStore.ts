import type { Knex } from 'knex';
import type { PullRequestRecord, PullRequestState } from './types';
import type { PermissionFilter } from '../permissions/resources';
import { applyPermissionFilter } from '../stores/permissionFilter';
import { toIsoString } from '../stores/timestamps';

/** A pull request with what Tollgate keys it by. */
export interface StoredPullRequest extends PullRequestRecord {
  /** Entity ref, or the workload name for a promotion without an entity. */
  subject: string;
  environment: string;
}

type Row = {
  id: string;
  promotion_id: string;
  subject: string;
  environment: string;
  provider: string;
  repo: string;
  base_branch: string;
  head_branch: string;
  number: number | null;
  url: string;
  state: string;
  head_sha: string;
  merge_commit_sha: string | null;
  files: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
};

const TABLE = 'git_pull_requests';

/** SQL for `git_pull_requests`. */
export class PullRequestStore {
  constructor(private readonly db: Knex) {}

  async insert(record: StoredPullRequest): Promise<void> {
    await this.db<Row>(TABLE).insert(toRow(record));
  }

  async update(record: StoredPullRequest): Promise<void> {
    const { id, created_at: _, ...changes } = toRow(record);
    await this.db<Row>(TABLE).where({ id }).update(changes);
  }

  async get(id: string): Promise<StoredPullRequest | undefined> {
    const row = await this.db<Row>(TABLE).where({ id }).first();
    return row && fromRow(row);
  }

  /** The open pull request of a workload and environment, if any. */
  async findOpen(
    subject: string,
    environment: string,
  ): Promise<StoredPullRequest | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ subject, environment, state: 'open' })
      .orderBy('updated_at', 'desc')
      .first();
    return row && fromRow(row);
  }

  /** The newest pull request that carried or carries the promotion. */
  async findByPromotion(
    promotionId: string,
  ): Promise<StoredPullRequest | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ promotion_id: promotionId })
      .orderBy('updated_at', 'desc')
      .first();
    return row && fromRow(row);
  }

  /** A provider's pull request by repository and number (webhooks). */
  async findByNumber(
    provider: string,
    number: number,
    repoSuffix: string,
  ): Promise<StoredPullRequest[]> {
    const rows = await this.db<Row>(TABLE).where({ provider, number });
    return rows
      .map(fromRow)
      .filter(record => normalizeRepo(record.repo).endsWith(repoSuffix));
  }

  /** Newest first; `allowed` is a permission decision's conditions, as SQL. */
  async list(
    filter: { state?: PullRequestState; limit: number; offset: number },
    allowed?: PermissionFilter,
  ): Promise<{ items: StoredPullRequest[]; total: number }> {
    const filtered = () => {
      const query = this.db<Row>(TABLE);
      if (filter.state) query.where('state', filter.state);
      return applyPermissionFilter(query, allowed, {
        targetEnvironment: 'environment',
      });
    };
    const [{ n }] = await filtered().count({ n: '*' });
    const rows = await filtered()
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { items: rows.map(fromRow), total: Number(n) };
  }
}

/** `github.com/acme/gitops` from any clone URL form, for matching webhooks. */
export function normalizeRepo(repo: string): string {
  return repo
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(':', '/')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

function toRow(record: StoredPullRequest): Row {
  return {
    id: record.id,
    promotion_id: record.promotionId,
    subject: record.subject,
    environment: record.environment,
    provider: record.provider,
    repo: record.repo,
    base_branch: record.baseBranch,
    head_branch: record.headBranch,
    number: record.number ?? null,
    url: record.url,
    state: record.state,
    head_sha: record.headSha,
    merge_commit_sha: record.mergeCommitSha ?? null,
    files: JSON.stringify(record.files),
    created_at: new Date(record.createdAt),
    updated_at: new Date(record.updatedAt),
  };
}

function fromRow(row: Row): StoredPullRequest {
  return {
    id: row.id,
    promotionId: row.promotion_id,
    subject: row.subject,
    environment: row.environment,
    provider: row.provider,
    repo: row.repo,
    baseBranch: row.base_branch,
    headBranch: row.head_branch,
    ...(row.number !== null ? { number: Number(row.number) } : {}),
    url: row.url,
    state: row.state as PullRequestState,
    headSha: row.head_sha,
    ...(row.merge_commit_sha ? { mergeCommitSha: row.merge_commit_sha } : {}),
    files: JSON.parse(row.files) as string[],
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
  };
}
