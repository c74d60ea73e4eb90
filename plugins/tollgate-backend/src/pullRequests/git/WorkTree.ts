import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';
import { redactMessage } from '../../gitops/redact';
import { normalizeRepoPath, validateRef } from '../../gitops/validation';
import type { FileChange, RepoFiles } from '../change';

const execFileAsync = promisify(execFile);
const TIMEOUT_MS = 120_000;

/** A failed git command; its message never holds credentials. */
export class GitError extends Error {
  name = 'GitError';
}

/** Who Tollgate's commits are authored by. */
export interface CommitAuthor {
  name: string;
  email: string;
}

/** A remote as git reaches it: the URL may hold credentials, scrubbed from errors. */
export interface Remote {
  url: string;
  secrets: string[];
}

/**
 * A throw-away clone of one branch of a GitOps repository: Tollgate reads
 * the base here, commits the change on top and force-pushes it to the
 * promotion's branch. Every argument is passed as an array element; refs
 * are validated and remote URLs follow `--`, so nothing a user wrote can
 * be read as an option.
 */
export class WorkTree {
  private constructor(readonly dir: string, private readonly remote: Remote) {}

  /** An empty repository in a new temporary folder. */
  static async create(remote: Remote, root = tmpdir()): Promise<WorkTree> {
    await mkdir(root, { recursive: true });
    const dir = await mkdtemp(join(root, 'tollgate-pr-'));
    const workTree = new WorkTree(dir, remote);
    await workTree.git(['init', '--quiet']);
    return workTree;
  }

  /** Fetches a branch and checks it out (detached); returns its commit. */
  async checkoutBranch(branch: string): Promise<string> {
    validateRef(branch);
    await this.git(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--',
        this.remote.url,
        `refs/heads/${branch}`,
      ],
      true,
    );
    await this.git(['checkout', '--quiet', '--detach', 'FETCH_HEAD']);
    return this.head();
  }

  /** The commit a remote branch points at, or undefined when it does not exist. */
  async remoteBranch(branch: string): Promise<string | undefined> {
    validateRef(branch);
    const output = await this.git(
      ['ls-remote', '--heads', '--', this.remote.url, `refs/heads/${branch}`],
      true,
    );
    return output.split(/\s+/)[0] || undefined;
  }

  /** Fetches a branch into `refs/tollgate/<name>` without checking it out. */
  async fetchBranch(branch: string): Promise<string> {
    validateRef(branch);
    await this.git(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--',
        this.remote.url,
        `+refs/heads/${branch}:refs/tollgate/${branch}`,
      ],
      true,
    );
    return (
      await this.git([
        'rev-parse',
        '--verify',
        `refs/tollgate/${branch}^{commit}`,
      ])
    ).trim();
  }

  /** True when `commit` is known here and reachable from `from`. */
  async isAncestor(commit: string, from: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', commit, from]);
      return true;
    } catch {
      return false;
    }
  }

  /** The first commit on `to`'s first-parent line that contains `commit`: its merge. */
  async mergeCommitOf(commit: string, to: string): Promise<string> {
    const output = await this.git([
      'rev-list',
      '--ancestry-path',
      '--first-parent',
      '--reverse',
      `${commit}..${to}`,
    ]);
    return output.split('\n').find(Boolean) ?? commit;
  }

  /** The checked-out files, for computing the change. */
  files(): RepoFiles {
    return {
      read: async path => {
        try {
          return await readFile(this.pathOf(path), 'utf8');
        } catch {
          return undefined;
        }
      },
      listFiles: async folder => {
        const output = await this.git([
          'ls-files',
          '-z',
          '--',
          normalizeRepoPath(folder) || '.',
        ]);
        return output.split('\0').filter(Boolean);
      },
    };
  }

  /** Writes the files and commits them on top of the checkout; returns the commit. */
  async commit(
    files: FileChange[],
    message: string,
    author: CommitAuthor,
  ): Promise<string> {
    for (const file of files) {
      const target = this.pathOf(file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.after);
    }
    await this.git([
      'add',
      '--',
      ...files.map(file => normalizeRepoPath(file.path)),
    ]);
    await this.git([
      '-c',
      `user.name=${author.name}`,
      '-c',
      `user.email=${author.email}`,
      'commit',
      '--quiet',
      '--no-gpg-sign',
      '--no-verify',
      '-m',
      message,
    ]);
    return this.head();
  }

  /** Points the remote branch at HEAD, replacing what was there. */
  async forcePush(branch: string): Promise<void> {
    validateRef(branch);
    await this.git(
      [
        'push',
        '--quiet',
        '--force',
        '--',
        this.remote.url,
        `HEAD:refs/heads/${branch}`,
      ],
      true,
    );
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim();
  }

  private pathOf(path: string): string {
    const normalized = normalizeRepoPath(path);
    if (!normalized) throw new InputError(`Invalid file path ${path}`);
    return join(this.dir, normalized);
  }

  private async git(args: string[], network = false): Promise<string> {
    try {
      const { stdout } = await execFileAsync('git', ['-C', this.dir, ...args], {
        env: gitEnvironment(),
        timeout: network ? TIMEOUT_MS : TIMEOUT_MS / 4,
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
      });
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; code?: unknown };
      const detail =
        String(failure.stderr ?? '').trim() || `exit code ${failure.code}`;
      throw new GitError(
        `git ${
          args.find(arg => !arg.startsWith('-') && !arg.includes('=')) ?? ''
        } failed: ${redactMessage(detail, this.remote.secrets)}`,
      );
    }
  }
}

function gitEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    GIT_CONFIG_NOSYSTEM: '1',
    // Never a transport that runs commands (ext::, fd::) whatever the URL says.
    GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
    LC_ALL: 'C',
  };
}
