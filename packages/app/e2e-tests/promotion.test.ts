import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLICK,
  ROOT,
  screenshot,
  signInAs,
  startDemoAgents,
  type DemoUser,
} from './support';

// One promotion's life, in order: the guest previews it, a developer may
// only read it, the SRE lead approves it (a branch is pushed to the demo
// GitOps repository), the branch is merged, and the audit log shows it all.
test.describe.configure({ mode: 'serial' });

const GITOPS = join(ROOT, '.demo/gitops.git');
const BRANCH = 'tollgate/promote-checkout-api-production';
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Release Manager',
      GIT_AUTHOR_EMAIL: 'release@example.com',
      GIT_COMMITTER_NAME: 'Release Manager',
      GIT_COMMITTER_EMAIL: 'release@example.com',
    },
  }).trim();

let stopAgents: () => void = () => {};
/** The promotion the guest previewed, as a URL of its Promotion tab. */
let promotionUrl = '';

test.beforeAll(() => {
  // A fresh demo repository, so the production overlay still differs.
  execFileSync(process.execPath, [
    join(ROOT, 'examples/demo/create-gitops-repo.mjs'),
    '--reset',
  ]);
  stopAgents = startDemoAgents();
});
test.afterAll(() => stopAgents());

/** A page of its own (cookies and storage) for one of the demo's users. */
async function pageAs(browser: Browser, user: DemoUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, user);
  return page;
}

test('previews checkout-api from staging to production and reads cost and risks', async ({
  page,
}) => {
  await signInAs(page, 'Guest');
  await page.goto('/catalog/default/component/checkout-api');
  // The annotated component has both tabs.
  await expect(page.getByText('Promotion', { exact: true })).toBeVisible();
  await expect(page.getByText('Cost', { exact: true })).toBeVisible();
  await page.goto('/catalog/default/component/checkout-api/tollgate-promotion');
  await expect(page.getByText('Preview a promotion')).toBeVisible();
  // Consecutive environments are the default pair.
  await expect(page.getByLabel('From (source)')).toContainText('staging');
  await expect(page.getByLabel('To (target)')).toContainText('production');

  // The agents need a moment for their first snapshots: retry until the
  // preview has both sides.
  await expect(async () => {
    await page
      .getByRole('button', { name: 'Preview', exact: true })
      .click(CLICK);
    await expect(page.getByTestId('promotion-view')).toBeVisible({
      timeout: 15_000,
    });
  }).toPass({ timeout: 120_000 });

  const view = page.getByTestId('promotion-view');
  await expect(page).toHaveURL(/[?&]promotion=/);
  // Summary: risk in words, the monthly cost delta, what changes.
  await expect(view.getByTestId('risk-level').first()).toHaveText(
    /(No risk found|Info|Low risk|Medium risk|High risk|Critical risk)/,
  );
  await expect(view.getByTestId('cost-delta')).toHaveText(
    /^[+-]?\$[\d,]+\.\d\d$/,
  );
  await expect(view.getByTestId('explanation')).not.toBeEmpty();
  // Risks and cost table.
  await expect(view.getByText('Risks', { exact: true })).toBeVisible();
  await expect(view.getByText('Fix:').first()).toBeVisible();
  const costTable = view.getByRole('table', { name: 'Cost per resource' });
  await expect(costTable).toBeVisible();
  await expect(costTable.getByText('Total')).toBeVisible();
  // The diff, unified and side by side.
  await expect(view.getByRole('table', { name: 'Unified diff' })).toBeVisible();
  await page.getByRole('button', { name: 'Side-by-side view' }).click(CLICK);
  await expect(
    view.getByRole('table', { name: 'Side-by-side diff' }).first(),
  ).toBeVisible();
  // The guest previewed it, so the guest may not approve it.
  await expect(
    view.getByText('You cannot approve this promotion:'),
  ).toBeVisible();
  await expect(view.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await page.screenshot({ path: screenshot('promotion-tab'), fullPage: true });

  // The preview is in the history and opens again from the URL.
  promotionUrl = page.url();
  await expect(page.getByText('Promotion history')).toBeVisible();
  await page.goto(promotionUrl);
  await expect(page.getByTestId('promotion-view')).toBeVisible();

  await page.goto('/catalog/default/component/checkout-api/tollgate-cost');
  await expect(
    page.getByRole('table', { name: 'Monthly cost per environment' }),
  ).toContainText('production');
  await expect(
    page.getByRole('img', { name: /Line chart of monthly cost/ }),
  ).toBeVisible();
  await page.screenshot({ path: screenshot('cost-tab'), fullPage: true });
});

test('a developer reads the preview but may not approve it; the SRE lead may', async ({
  browser,
}) => {
  const developer = await pageAs(browser, 'Developer');
  await developer.goto(promotionUrl);
  const view = developer.getByTestId('promotion-view');
  await expect(view.getByTestId('cost-delta')).toBeVisible();
  await expect(
    view.getByText('You cannot approve this promotion:'),
  ).toBeVisible();
  await expect(view.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Reject' })).toHaveCount(0);
  await developer.screenshot({
    path: screenshot('promotion-viewer'),
    fullPage: true,
  });

  const sreLead = await pageAs(browser, 'SRE lead');
  await sreLead.goto(promotionUrl);
  await expect(
    sreLead.getByTestId('promotion-view').getByRole('button', {
      name: 'Approve',
    }),
  ).toBeVisible();
});

test('the SRE lead approves, which pushes the promotion branch to the demo GitOps repository', async ({
  browser,
}) => {
  const page = await pageAs(browser, 'SRE lead');
  await page.goto(promotionUrl);
  const view = page.getByTestId('promotion-view');
  await view.getByRole('button', { name: 'Approve' }).click(CLICK);
  const dialog = page.getByRole('dialog', { name: 'Approve promotion' });
  await dialog.getByLabel('Comment (optional)').fill('Checked the HPA band');
  await dialog.getByRole('button', { name: 'Approve' }).click(CLICK);

  await expect(view.getByText('State: Pull request open')).toBeVisible();
  await expect(view.getByTestId('pull-request-branch')).toContainText(
    `Branch ${BRANCH} into main`,
  );
  await expect(view.getByRole('list', { name: 'Decisions' })).toContainText(
    'user:default/sre-lead approved',
  );
  await page.screenshot({
    path: screenshot('promotion-approved'),
    fullPage: true,
  });

  // The branch edits the production overlay; its commit carries the body.
  const overlay = git(
    GITOPS,
    'show',
    `${BRANCH}:apps/checkout-api/overlays/production/kustomization.yaml`,
  );
  expect(overlay).toMatch(/newTag: 2\.4\.0/);
  const message = git(GITOPS, 'log', '-1', '--format=%B', BRANCH);
  expect(message).toContain('### Cost (USD per month)');
  expect(message).toContain('### Risk');
});

test('merging the branch marks the promotion merged, and the audit log shows every step and verifies', async ({
  page,
}) => {
  const work = mkdtempSync(join(tmpdir(), 'tollgate-e2e-merge-'));
  try {
    git(work, 'clone', '--quiet', GITOPS, '.');
    git(work, 'merge', '--no-ff', '--quiet', `origin/${BRANCH}`);
    git(work, 'push', '--quiet', 'origin', 'main');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const mergeCommit = git(GITOPS, 'rev-parse', 'main');

  // The backend polls open pull requests every minute (app-config.yaml).
  await signInAs(page, 'Guest');
  const view = page.getByTestId('promotion-view');
  await expect(async () => {
    await page.goto(promotionUrl);
    await expect(view.getByText('State: Merged')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  await expect(view.getByTestId('pull-request-branch')).toContainText(
    `merge commit ${mergeCommit.slice(0, 7)}`,
  );

  await page.goto('/tollgate/audit');
  const promotionId = new URL(promotionUrl).searchParams.get('promotion')!;
  await page.getByLabel('Target id').fill(promotionId);
  await page.getByRole('button', { name: 'Apply filters' }).click(CLICK);
  for (const action of [
    'promotion.preview',
    'promotion.approve',
    'promotion.pr_opened',
    'promotion.merged',
  ]) {
    await expect(
      page.getByRole('cell', { name: action, exact: true }).first(),
    ).toBeVisible();
  }
  await expect(
    page.getByText(/Chain intact: \d+ entries verified/),
  ).toBeVisible();
  await page.screenshot({ path: screenshot('audit-merged'), fullPage: true });
});

test('shows the Tollgate pages', async ({ page }) => {
  await page.goto('/');
  await expect(
    page.getByRole('button', { name: 'Sign in as SRE lead' }),
  ).toBeVisible();
  await page.screenshot({ path: screenshot('sign-in') });
  await signInAs(page, 'Guest');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  for (const [link, href] of [
    ['Clusters', '/tollgate/clusters'],
    ['Promotions', '/tollgate/promotions'],
    ['Audit log', '/tollgate/audit'],
    ['Get started', '/tollgate/get-started'],
  ]) {
    await expect(nav.getByRole('link', { name: link })).toHaveAttribute(
      'href',
      href,
    );
  }

  await page.goto('/tollgate/clusters');
  await expect(
    page.getByRole('button', { name: /^Total: \d+ cluster/ }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demo staging' })).toBeVisible();
  await page.screenshot({ path: screenshot('fleet-overview'), fullPage: true });

  await page.goto('/tollgate/promotions');
  await expect(
    page.getByRole('heading', { name: 'Promotions', level: 1 }),
  ).toBeVisible();
  await expect(page.getByText(/^\d+ promotions?$/)).toBeVisible();
  await page.screenshot({ path: screenshot('promotions'), fullPage: true });

  await page.goto('/tollgate/audit');
  await expect(
    page.getByRole('heading', { name: 'Audit log', level: 1 }),
  ).toBeVisible();
  await expect(
    page.getByText(/Chain intact: \d+ entries verified/),
  ).toBeVisible();
  await page.screenshot({ path: screenshot('audit-log'), fullPage: true });

  await page.goto('/tollgate/get-started');
  await expect(
    page.getByRole('heading', { name: 'Get started', level: 1 }),
  ).toBeVisible();
  await expect(page.getByText('Register the cluster')).toBeVisible();
  await page.screenshot({ path: screenshot('get-started'), fullPage: true });
});
