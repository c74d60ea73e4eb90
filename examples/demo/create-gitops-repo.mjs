// Creates the demo's GitOps repository: a bare repository at
// .demo/gitops.git (under the repository root, ignored by git) holding
// examples/gitops as one commit on `main`. Idempotent: an existing
// repository is left as it is, with the pull request branches the demo
// pushed to it. `--reset` starts it again from examples/gitops.
// Run by .ci/start before the portal starts.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = join(root, 'examples', 'gitops');
const bare = join(root, '.demo', 'gitops.git');

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Tollgate Demo',
  GIT_AUTHOR_EMAIL: 'demo@tollgate.localhost',
  GIT_COMMITTER_NAME: 'Tollgate Demo',
  GIT_COMMITTER_EMAIL: 'demo@tollgate.localhost',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();

function hasMain() {
  try {
    git(bare, 'rev-parse', '--verify', '--quiet', 'refs/heads/main');
    return true;
  } catch {
    return false;
  }
}

if (process.argv.includes('--reset'))
  rmSync(bare, { recursive: true, force: true });

if (existsSync(bare) && hasMain()) {
  console.log(`Demo GitOps repository: ${bare} (exists)`);
  process.exit(0);
}

rmSync(bare, { recursive: true, force: true });
git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
const work = mkdtempSync(join(tmpdir(), 'tollgate-demo-gitops-'));
try {
  git(work, 'init', '--quiet', '--initial-branch=main');
  cpSync(source, work, { recursive: true });
  git(work, 'add', '--all');
  git(
    work,
    'commit',
    '--quiet',
    '--no-gpg-sign',
    '-m',
    'Demo GitOps layout: checkout-api in staging and production',
  );
  git(work, 'push', '--quiet', bare, 'main:refs/heads/main');
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`Demo GitOps repository: ${bare} (created from examples/gitops)`);
