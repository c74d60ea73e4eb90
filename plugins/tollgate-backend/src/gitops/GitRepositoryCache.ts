import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CommitTree } from './CommitTree';
import { GitCommandError, GitRunner } from './git';
import {
  isFullSha,
  parseRepoLocation,
  RepoLocation,
  validateRef,
} from './validation';

export interface GitRepositoryCacheOptions {
  /** Folder that holds one bare mirror per repository URL. */
  cacheDir: string;
  /** A fetch younger than this is reused instead of fetching again. Default 10 s. */
  freshnessMs?: number;
  /** Default 120 s. */
  fetchTimeoutMs?: number;
  logger?: LoggerService;
  /** The git executable. Default `git` from PATH. */
  gitBinary?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** A ref resolved to a commit, with the commit's files. */
export interface ResolvedCommit {
  commit: string;
  tree: CommitTree;
  /** The repository without credentials, for messages. */
  displayUrl: string;
}

const DEFAULT_FRESHNESS_MS = 10_000;
const DEFAULT_FETCH_TIMEOUT_MS = 120_000;
const MIRROR_REFSPECS = [
  '+refs/heads/*:refs/heads/*',
  '+refs/tags/*:refs/tags/*',
];

/**
 * Bare mirrors of GitOps repositories, fetched on demand.
 *
 * The fetch URL is passed on every fetch and never stored in the mirror's
 * config, so credentials do not end up on disk and one mirror serves the same
 * repository whatever token the caller uses.
 */
export class GitRepositoryCache {
  private readonly lastFetchAt = new Map<string, number>();
  private readonly fetches = new Map<string, Promise<void>>();
  private readonly freshnessMs: number;
  private readonly fetchTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: GitRepositoryCacheOptions) {
    this.freshnessMs = options.freshnessMs ?? DEFAULT_FRESHNESS_MS;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** Resolves a branch, tag or SHA to a commit, fetching when the mirror may be stale. */
  async resolve(repo: string, ref: string): Promise<ResolvedCommit> {
    const location = parseRepoLocation(repo);
    validateRef(ref);
    const git = this.runnerFor(location);
    const known = isFullSha(ref) && (await this.lookupCommit(git, ref));
    if (known) return this.resolved(git, known, location);

    const fetchedNow = await this.fetchIfStale(location);
    let commit = await this.lookupCommit(git, ref);
    if (!commit && !fetchedNow) {
      // The ref may have been created since the fetch we reused.
      await this.fetch(repo);
      commit = await this.lookupCommit(git, ref);
    }
    if (!commit) {
      throw new NotFoundError(
        `Git ref ${JSON.stringify(ref)} was not found in ${
          location.displayUrl
        }`,
      );
    }
    return this.resolved(git, commit, location);
  }

  /** Fetches now (joining a fetch of the same repository already running). */
  async fetch(repo: string): Promise<void> {
    const location = parseRepoLocation(repo);
    await this.runFetch(location);
  }

  /** The mirror folder for a repository. */
  mirrorPath(repo: string): string {
    const { displayUrl } = parseRepoLocation(repo);
    const key = createHash('sha256').update(displayUrl).digest('hex');
    return join(this.options.cacheDir, `${key.slice(0, 32)}.git`);
  }

  private resolved(
    git: GitRunner,
    commit: string,
    location: RepoLocation,
  ): ResolvedCommit {
    return {
      commit,
      tree: new CommitTree(git, commit),
      displayUrl: location.displayUrl,
    };
  }

  private runnerFor(location: RepoLocation): GitRunner {
    return new GitRunner(
      this.mirrorPath(location.fetchUrl),
      this.options.gitBinary,
    );
  }

  /** True when this call fetched (or joined a fetch) rather than reusing a fresh one. */
  private async fetchIfStale(location: RepoLocation): Promise<boolean> {
    const key = location.displayUrl;
    const inFlight = this.fetches.get(key);
    if (inFlight) {
      await inFlight;
      return true;
    }
    const last = this.lastFetchAt.get(key);
    if (last !== undefined && this.now() - last < this.freshnessMs) {
      return false;
    }
    await this.runFetch(location);
    return true;
  }

  private runFetch(location: RepoLocation): Promise<void> {
    const key = location.displayUrl;
    const inFlight = this.fetches.get(key);
    if (inFlight) return inFlight;
    const fetching = this.fetchMirror(location)
      .then(() => {
        this.lastFetchAt.set(key, this.now());
      })
      .finally(() => this.fetches.delete(key));
    this.fetches.set(key, fetching);
    return fetching;
  }

  private async fetchMirror(location: RepoLocation): Promise<void> {
    const git = await this.ensureMirror(location);
    this.options.logger?.debug(
      `Fetching GitOps repository ${location.displayUrl}`,
    );
    try {
      await git.run(
        [
          'fetch',
          '--prune',
          '--force',
          '--no-tags',
          '--quiet',
          '--',
          location.fetchUrl,
          ...MIRROR_REFSPECS,
        ],
        { timeoutMs: this.fetchTimeoutMs, secrets: location.secrets },
      );
    } catch (error) {
      const detail = error instanceof GitCommandError ? error.stderr : 'failed';
      throw new InputError(
        `Could not fetch Git repository ${location.displayUrl}: ${detail}`,
      );
    }
  }

  /** Creates the bare mirror under a temporary name first, so a crash never leaves half of one. */
  private async ensureMirror(location: RepoLocation): Promise<GitRunner> {
    const git = this.runnerFor(location);
    if (await exists(git.gitDir)) return git;
    await mkdir(this.options.cacheDir, { recursive: true });
    const staging = `${git.gitDir}.${randomUUID()}.tmp`;
    const init = new GitRunner(staging, this.options.gitBinary);
    await init.run(['init', '--bare', '--quiet']);
    try {
      await rename(staging, git.gitDir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (!(await exists(git.gitDir))) throw error;
    }
    return git;
  }

  private async lookupCommit(
    git: GitRunner,
    ref: string,
  ): Promise<string | undefined> {
    if (!(await exists(git.gitDir))) return undefined;
    for (const candidate of refCandidates(ref)) {
      const commit = await revParse(git, `${candidate}^{commit}`);
      if (commit) return commit;
    }
    return undefined;
  }
}

/**
 * Names to try in git's own order (gitrevisions(7): tags before branches).
 * A mirror keeps branches under refs/heads and has no refs/remotes, so
 * `origin/main` means refs/heads/main.
 */
function refCandidates(ref: string): string[] {
  if (ref.startsWith('refs/')) return [ref];
  const candidates = [`refs/tags/${ref}`, `refs/heads/${ref}`];
  if (ref.startsWith('origin/')) {
    candidates.push(`refs/heads/${ref.slice('origin/'.length)}`);
  }
  if (/^[0-9a-f]{4,64}$/.test(ref)) candidates.push(ref);
  return candidates;
}

async function revParse(
  git: GitRunner,
  spec: string,
): Promise<string | undefined> {
  try {
    const output = await git.text([
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      spec,
    ]);
    return output.trim() || undefined;
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
