import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import { GitRepositoryCache } from './GitRepositoryCache';
import { TestGitRepo } from './__testUtils__/gitRepos';

describe('GitRepositoryCache', () => {
  let repo: TestGitRepo;
  let firstCommit: string;
  let stagingCommit: string;

  beforeAll(async () => {
    repo = await TestGitRepo.create();
    await repo.write({ 'apps/web/app.yaml': 'kind: ConfigMap\n' });
    firstCommit = await repo.commit('first');
    await repo.tag('v1.0.0');
    await repo.branch('staging');
    await repo.write({ 'apps/web/app.yaml': 'kind: Secret\n' });
    stagingCommit = await repo.commit('staging change');
    await repo.checkout('main');
  });

  afterAll(() => repo.remove());

  function newCache(options: { now?: () => number; gitBinary?: string } = {}) {
    return new GitRepositoryCache({
      cacheDir: join(repo.root, `cache-${Math.random()}`),
      freshnessMs: 5_000,
      ...options,
    });
  }

  it.each([
    ['a branch', () => 'main', () => firstCommit],
    ['another branch', () => 'staging', () => stagingCommit],
    ['an annotated tag', () => 'v1.0.0', () => firstCommit],
    ['a full ref name', () => 'refs/heads/staging', () => stagingCommit],
    [
      'an origin/ remote-style name',
      () => 'origin/staging',
      () => stagingCommit,
    ],
    ['a full SHA', () => stagingCommit, () => stagingCommit],
    [
      'an abbreviated SHA',
      () => stagingCommit.slice(0, 10),
      () => stagingCommit,
    ],
  ])('resolves %s to its commit', async (_what, ref, expected) => {
    const resolved = await newCache().resolve(repo.originDir, ref());

    expect(resolved.commit).toBe(expected());
    expect(resolved.displayUrl).toBe(repo.originDir);
  });

  it('works with file:// URLs', async () => {
    const resolved = await newCache().resolve(
      `file://${repo.originDir}`,
      'main',
    );
    expect(resolved.commit).toBe(firstCommit);
  });

  it('reads files at the commit without a working tree', async () => {
    const { tree } = await newCache().resolve(repo.originDir, 'staging');

    const entry = await tree.stat('apps/web/app.yaml');
    expect(entry).toMatchObject({ path: 'apps/web/app.yaml', type: 'blob' });
    expect(await tree.readText(entry!)).toBe('kind: Secret\n');
    expect(await tree.stat('apps/missing.yaml')).toBeUndefined();
    expect((await tree.list('apps')).map(e => [e.path, e.type])).toEqual([
      ['apps/web', 'tree'],
    ]);
  });

  it('sees a moved branch once the freshness window has passed', async () => {
    let now = 1_000_000;
    const cache = newCache({ now: () => now });
    const moving = await TestGitRepo.create();
    try {
      await moving.write({ 'a.yaml': 'a: 1\n' });
      const before = await moving.commit('one');
      expect((await cache.resolve(moving.originDir, 'main')).commit).toBe(
        before,
      );

      await moving.write({ 'a.yaml': 'a: 2\n' });
      const after = await moving.commit('two');
      now += 4_000;
      expect((await cache.resolve(moving.originDir, 'main')).commit).toBe(
        before,
      );

      now += 1_001;
      expect((await cache.resolve(moving.originDir, 'main')).commit).toBe(
        after,
      );
    } finally {
      await moving.remove();
    }
  });

  it('fetches again inside the freshness window when a ref is not there yet', async () => {
    const cache = newCache({ now: () => 0 });
    const growing = await TestGitRepo.create();
    try {
      await growing.write({ 'a.yaml': 'a: 1\n' });
      await growing.commit('one');
      await cache.resolve(growing.originDir, 'main');

      await growing.branch('hotfix');
      await growing.write({ 'a.yaml': 'a: 3\n' });
      const hotfix = await growing.commit('hotfix');

      expect((await cache.resolve(growing.originDir, 'hotfix')).commit).toBe(
        hotfix,
      );
    } finally {
      await growing.remove();
    }
  });

  it('fetches once for many concurrent previews of the same repository', async () => {
    const log = join(repo.root, `git-calls-${Math.random()}.log`);
    const wrapper = join(repo.root, `git-wrapper-${Math.random()}.sh`);
    await writeFile(
      wrapper,
      `#!/bin/sh\necho "$*" >> '${log}'\nexec git "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    const cache = newCache({ gitBinary: wrapper });

    const results = await Promise.all(
      Array.from({ length: 10 }, () => cache.resolve(repo.originDir, 'main')),
    );

    expect(new Set(results.map(r => r.commit))).toEqual(new Set([firstCommit]));
    const calls = (await readFile(log, 'utf8')).split('\n');
    expect(calls.filter(call => / fetch /.test(call))).toHaveLength(1);
  });

  it('does not fetch for a full SHA it already has', async () => {
    let now = 0;
    const cache = newCache({ now: () => now });
    await cache.resolve(repo.originDir, 'main');
    now += 60_000;

    const fetchSpy = jest.spyOn(cache, 'fetch');
    const resolved = await cache.resolve(repo.originDir, stagingCommit);

    expect(resolved.commit).toBe(stagingCommit);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reports a ref that does not exist as not found', async () => {
    const error = await newCache()
      .resolve(repo.originDir, 'release/9.9')
      .catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `Git ref "release/9.9" was not found in ${repo.originDir}`,
    );
  });

  it.each([
    ['-c', 'it must not start with "-"'],
    ['--upload-pack=touch /tmp/pwned', 'it must not start with "-"'],
    ['main..staging', 'it contains ".."'],
    ['main\nstaging', 'it contains control characters'],
    ['main branch', 'it contains a space or one of ~ ^ : ? * [ \\'],
    ['HEAD~1', 'it contains a space or one of ~ ^ : ? * [ \\'],
    ['main^{tree}', 'it contains a space or one of ~ ^ : ? * [ \\'],
    ['', 'it is empty'],
    ['feature/', 'it ends with "/", "." or ".lock"'],
  ])('rejects the ref %j', async (ref, reason) => {
    const error = await newCache()
      .resolve(repo.originDir, ref)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `Invalid Git ref ${JSON.stringify(ref)}: ${reason}`,
    );
  });

  it.each([
    'relative/path',
    'ext::sh -c touch% /tmp/pwned',
    '-uhttps://example.com/repo.git',
  ])('rejects the repository location %j', async location => {
    const error = await newCache()
      .resolve(location, 'main')
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/repository location/);
  });

  it('never shows credentials from the URL, in errors or on disk', async () => {
    const cache = newCache();
    const url = 'https://deploy-bot:s3cr3t-t0ken@127.0.0.1:1/acme/gitops.git';

    const error = await cache.resolve(url, 'main').catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(
      'Could not fetch Git repository https://127.0.0.1:1/acme/gitops.git',
    );
    expect(error.message).not.toContain('s3cr3t-t0ken');
    expect(error.message).not.toContain('deploy-bot');
    expect(JSON.stringify(error)).not.toContain('s3cr3t-t0ken');
    const mirror = cache.mirrorPath(url);
    const config = await readFile(join(mirror, 'config'), 'utf8');
    expect(config).not.toContain('s3cr3t-t0ken');
    expect(mirror).toBe(
      cache.mirrorPath('https://127.0.0.1:1/acme/gitops.git'),
    );
  });

  it('keeps one mirror per repository URL', async () => {
    const cacheDir = join(repo.root, `cache-${Math.random()}`);
    const cache = new GitRepositoryCache({ cacheDir });
    await cache.resolve(repo.originDir, 'main');
    await cache.resolve(`file://${repo.originDir}`, 'main');
    await cache.resolve(repo.originDir, 'staging');

    const mirrors = await readdir(cacheDir);
    expect(mirrors).toHaveLength(2);
    expect(mirrors.every(name => /^[0-9a-f]{32}\.git$/.test(name))).toBe(true);
  });
});
