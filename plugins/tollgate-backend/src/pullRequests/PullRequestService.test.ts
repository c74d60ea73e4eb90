import { ConflictError } from '@backstage/errors';
import type { PromotionPreview } from '@tollgate/plugin-tollgate-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { GitManifestReader } from '../gitops';
import { TestGitRepo } from '../gitops/__testUtils__/gitRepos';
import { AuditService } from '../services/AuditService';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import {
  DEMO_GITOPS_DIR,
  readTree,
  renderOverlay,
} from './__testUtils__/demoRepo';
import { storePromotion } from './__testUtils__/promotions';
import { GitProvider } from './providers/GitProvider';
import { ProviderRegistry } from './providers/ProviderRegistry';
import type { PullRequestProvider } from './providers/types';
import { PullRequestService } from './PullRequestService';
import { githubChange } from './webhooks';
import type { PromotionStateSink, PullRequestRecord } from './types';

jest.setTimeout(60_000);

const STAGING = 'apps/checkout-api/overlays/staging';
const PRODUCTION = 'apps/checkout-api/overlays/production';
const BRANCH = 'tollgate/promote-checkout-api-production';
const context = { actor: 'user:default/bob', requestId: 'req-1' };

describe('PullRequestService with real git', () => {
  const databases = createTestDatabases();
  let repo: TestGitRepo;
  let stores: TollgateStores;
  let service: PullRequestService;
  let promotions: Map<string, PromotionPreview>;
  let reported: PullRequestRecord[];

  beforeEach(async () => {
    repo = await TestGitRepo.create();
    await repo.copyFolder(`${DEMO_GITOPS_DIR}/apps`, 'apps');
    await repo.commit('Demo GitOps layout');
    const db = await databases.init('SQLITE_3');
    await migrateLatest(db);
    stores = new TollgateStores(db);
    promotions = new Map();
    reported = [];
    service = serviceWith(new ProviderRegistry([new GitProvider(repo.root)]));
  });

  function serviceWith(providers: ProviderRegistry): PullRequestService {
    const created = new PullRequestService({
      stores,
      audit: new AuditService(),
      promotions: { get: async id => promotions.get(id)! },
      targets: {
        forPromotion: async () => ({
          target: {
            repo: repo.originDir,
            branch: 'main',
            path: PRODUCTION,
            layout: 'kustomize',
          },
          sourcePath: STAGING,
          helm: {},
        }),
      },
      providers,
      manifests: GitManifestReader.create({ cacheDir: repo.cacheDir() }),
      appBaseUrl: 'http://localhost:3000',
      author: { name: 'Tollgate', email: 'tollgate@example.com' },
      workRoot: repo.root,
    });
    const sink: PromotionStateSink = {
      pullRequestChanged: async record => {
        reported.push(record);
      },
    };
    created.connect(sink);
    return created;
  }

  afterEach(async () => {
    await repo.remove();
  });

  /** A preview of staging over production, as the files on main say now. */
  async function preview(): Promise<PromotionPreview> {
    const files = await readTree(DEMO_GITOPS_DIR);
    const promotion = await storePromotion(
      stores,
      await renderOverlay(files, STAGING),
      await renderOverlay(files, PRODUCTION),
    );
    promotions.set(promotion.promotion_id, promotion);
    return promotion;
  }

  const show = (ref: string, path: string) =>
    repo.git('show', `origin/${ref}:${path}`);
  const auditActions = async () =>
    (await stores.audit.list()).map(entry => entry.action);
  const fetch = () => repo.git('fetch', '--quiet', '--prune', 'origin');

  it('pushes the change to a branch of its own and records the pull request', async () => {
    const promotion = await preview();
    const record = await service.openForPromotion(
      promotion.promotion_id,
      context,
    );

    expect(record).toMatchObject({
      promotionId: promotion.promotion_id,
      provider: 'git',
      repo: repo.originDir,
      baseBranch: 'main',
      headBranch: BRANCH,
      url: `${repo.originDir}#${BRANCH}`,
      state: 'open',
      files: [
        `${PRODUCTION}/kustomization.yaml`,
        `${PRODUCTION}/pdb-min-available.json`,
        `${PRODUCTION}/resources.yaml`,
      ],
    });
    await fetch();
    expect(await repo.git('rev-parse', `origin/${BRANCH}`)).toBe(
      record.headSha,
    );
    expect(
      await repo.git('diff', '--name-only', `origin/main...origin/${BRANCH}`),
    ).toBe(record.files.join('\n'));
    expect(
      await repo.git('log', '-1', '--format=%an <%ae>%n%s', record.headSha),
    ).toBe(
      'Tollgate <tollgate@example.com>\nPromote checkout-api to production (from staging)',
    );
    const kustomization = await show(
      BRANCH,
      `${PRODUCTION}/kustomization.yaml`,
    );
    expect(kustomization).toContain(
      '    newTag: 2.4.0 # moved by promotion pull requests\n',
    );
    expect(kustomization).toContain('    count: 2\n');
    expect(await show(BRANCH, `${PRODUCTION}/resources.yaml`)).toContain(
      "            - name: FEATURE_ONE_CLICK\n              value: 'true'\n",
    );
    expect(await service.forPromotion(promotion.promotion_id)).toEqual(record);
    expect(await auditActions()).toEqual(['pull_request.open']);
  });

  it('updates the open pull request of the workload instead of opening another', async () => {
    const first = await service.openForPromotion(
      (
        await preview()
      ).promotion_id,
      context,
    );
    const second = await preview();
    const updated = await service.openForPromotion(
      second.promotion_id,
      context,
    );

    expect(updated.id).toBe(first.id);
    expect(updated.promotionId).toBe(second.promotion_id);
    expect(updated.headBranch).toBe(first.headBranch);
    expect(updated.createdAt).toBe(first.createdAt);
    await fetch();
    expect(
      await repo.git('branch', '--remotes', '--list', 'origin/tollgate/*'),
    ).toBe(`origin/${BRANCH}`);
    // Still one commit on top of main: the change was re-applied, not stacked.
    expect(
      await repo.git('rev-list', '--count', `origin/main..origin/${BRANCH}`),
    ).toBe('1');
    expect((await service.list({ limit: 10, offset: 0 })).total).toBe(1);
    expect(await auditActions()).toEqual([
      'pull_request.open',
      'pull_request.update',
    ]);
  });

  it('serializes two approvals of the same workload into one pull request', async () => {
    const [first, second] = await Promise.all([preview(), preview()]);
    const records = await Promise.all([
      service.openForPromotion(first.promotion_id, context),
      service.openForPromotion(second.promotion_id, context),
    ]);
    expect(records[1].id).toBe(records[0].id);
    expect((await service.list({ limit: 10, offset: 0 })).total).toBe(1);
    expect(await auditActions()).toEqual([
      'pull_request.open',
      'pull_request.update',
    ]);
  });

  it('re-applies the change on a base branch that moved', async () => {
    const first = await service.openForPromotion(
      (
        await preview()
      ).promotion_id,
      context,
    );
    await repo.write({ 'README.md': '# GitOps\n' });
    const movedBase = await repo.commit('Add a README');

    const again = await service.openForPromotion(
      (
        await preview()
      ).promotion_id,
      context,
    );

    expect(again.headSha).not.toBe(first.headSha);
    await fetch();
    expect(await repo.git('rev-parse', `origin/${BRANCH}^`)).toBe(movedBase);
    expect(await show(BRANCH, 'README.md')).toBe('# GitOps');
  });

  it('reports a conflict naming the file when the base changed a line to edit', async () => {
    const promotion = await preview();
    const resources = `${PRODUCTION}/resources.yaml`;
    const current = await repo.git('show', `HEAD:${resources}`);
    await repo.write({
      [resources]: `${current.replace('cpu: 250m', 'cpu: 300m')}\n`,
    });
    await repo.commit('Production needs a little more CPU');

    const attempt = service.openForPromotion(promotion.promotion_id, context);

    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toMatchObject({ files: [resources] });
    await expect(attempt).rejects.toThrow(resources);
  });

  it('notices a merge when polling and reports its merge commit', async () => {
    const record = await service.openForPromotion(
      (
        await preview()
      ).promotion_id,
      context,
    );
    expect(await service.poll(context)).toBe(0);

    await fetch();
    await repo.git(
      'merge',
      '--quiet',
      '--no-ff',
      '--no-edit',
      `origin/${BRANCH}`,
    );
    await repo.git('push', '--quiet', 'origin', 'main');
    const mergeCommit = await repo.git('rev-parse', 'HEAD');

    expect(await service.poll(context)).toBe(1);
    expect(reported).toEqual([
      expect.objectContaining({
        id: record.id,
        state: 'merged',
        mergeCommitSha: mergeCommit,
      }),
    ]);
    expect(await service.forPromotion(record.promotionId)).toMatchObject({
      state: 'merged',
      mergeCommitSha: mergeCommit,
    });
    expect(await service.poll(context)).toBe(0);
    expect(await auditActions()).toEqual([
      'pull_request.open',
      'pull_request.merged',
    ]);
  });

  it('applies a state a webhook reported to the pull request it names', async () => {
    const git = new GitProvider(repo.root);
    const numbered: PullRequestProvider = {
      name: 'github',
      remote: r => git.remote(r),
      create: async () => ({ number: 7, url: 'https://github.example/pull/7' }),
      update: async () => ({ number: 7, url: 'https://github.example/pull/7' }),
      status: async () => ({ state: 'open' }),
    };
    service = serviceWith(new ProviderRegistry([numbered], () => 'github'));
    const record = await service.openForPromotion(
      (
        await preview()
      ).promotion_id,
      context,
    );
    expect(record).toMatchObject({ provider: 'github', number: 7 });

    const change = githubChange('pull_request', {
      action: 'closed',
      pull_request: {
        number: 7,
        merged: true,
        merge_commit_sha: 'f'.repeat(40),
      },
      repository: { html_url: `file://${repo.originDir}` },
    })!;
    expect(await service.report(change, context)).toBe(1);
    expect(reported).toEqual([
      expect.objectContaining({
        id: record.id,
        state: 'merged',
        mergeCommitSha: 'f'.repeat(40),
      }),
    ]);
    // Another repository's pull request 7 is not ours.
    expect(
      await service.report(
        { ...change, repo: 'github.com/acme/other' },
        context,
      ),
    ).toBe(0);
  });

  it('notices a branch deleted without a merge as closed', async () => {
    const record = await service.openForPromotion(
      (
        await preview()
      ).promotion_id,
      context,
    );
    await repo.git('push', '--quiet', 'origin', '--delete', BRANCH);

    expect(await service.poll(context)).toBe(1);
    expect(reported).toEqual([
      expect.objectContaining({ id: record.id, state: 'closed' }),
    ]);
  });
});
