import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Tollgate Test',
  GIT_AUTHOR_EMAIL: 'test@tollgate.example',
  GIT_COMMITTER_NAME: 'Tollgate Test',
  GIT_COMMITTER_EMAIL: 'test@tollgate.example',
  GIT_CONFIG_NOSYSTEM: '1',
};

/**
 * A real repository for tests: a bare "origin" (what the code under test
 * fetches from) and a work clone that commits and pushes to it.
 */
export class TestGitRepo {
  private constructor(
    readonly root: string,
    readonly originDir: string,
    readonly workDir: string,
  ) {}

  static async create(): Promise<TestGitRepo> {
    const root = await mkdtemp(join(tmpdir(), 'tollgate-gitops-'));
    const repo = new TestGitRepo(
      root,
      join(root, 'origin.git'),
      join(root, 'work'),
    );
    await git(root, 'init', '--bare', '--quiet', repo.originDir);
    await git(root, 'init', '--quiet', '--initial-branch=main', repo.workDir);
    await repo.git('remote', 'add', 'origin', repo.originDir);
    return repo;
  }

  /** A folder for the cache under test, inside this repo's temp folder. */
  cacheDir(): string {
    return join(this.root, 'cache');
  }

  async write(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      const target = join(this.workDir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }

  async copyFolder(source: string, target: string): Promise<void> {
    await cp(source, join(this.workDir, target), { recursive: true });
  }

  /** Commits everything and pushes the current branch; returns the SHA. */
  async commit(message: string): Promise<string> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--no-gpg-sign', '-m', message);
    const branch = await this.git('rev-parse', '--abbrev-ref', 'HEAD');
    await this.git('push', '--quiet', 'origin', branch);
    return this.git('rev-parse', 'HEAD');
  }

  async branch(name: string, from = 'main'): Promise<void> {
    await this.git('checkout', '--quiet', '-b', name, from);
  }

  async checkout(name: string): Promise<void> {
    await this.git('checkout', '--quiet', name);
  }

  /** An annotated tag, pushed. */
  async tag(name: string): Promise<void> {
    await this.git('tag', '--annotate', '-m', name, name);
    await this.git('push', '--quiet', 'origin', name);
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  async git(...args: string[]): Promise<string> {
    return git(this.workDir, ...args);
  }
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: GIT_ENV });
  return stdout.trim();
}
