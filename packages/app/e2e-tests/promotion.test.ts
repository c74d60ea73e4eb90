import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// See clusters.test.ts: animation frames can stall on a loaded runner.
const CLICK = { force: true } as const;
const screenshot = (name: string) => `e2e-screenshots/${name}.png`;

// The demo agents push examples/clusters/ through the real agent and ingest API,
// so both sides of checkout-api's staging -> production promotion exist.
let agents: ChildProcess | undefined;

test.beforeAll(() => {
  agents = spawn(
    process.execPath,
    [join(__dirname, '../../../examples/demo/connect-agents.mjs')],
    {
      env: { ...process.env, TOLLGATE_DEMO_BACKEND: 'http://localhost:7007' },
      stdio: 'inherit',
    },
  );
});

test.afterAll(() => {
  agents?.kill('SIGTERM');
});

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click(CLICK);
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Clusters' }),
  ).toHaveAttribute('href', '/tollgate/clusters');
}

test('previews checkout-api from staging to production and reads cost and risks', async ({
  page,
}) => {
  await signIn(page);
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
  const url = page.url();
  await expect(page.getByText('Promotion history')).toBeVisible();
  await page.goto(url);
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

test('shows the Tollgate pages', async ({ page }) => {
  await signIn(page);
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

  const started = Date.now();
  await page.goto('/tollgate/clusters');
  await expect(
    page.getByRole('button', { name: /^Total: \d+ cluster/ }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demo staging' })).toBeVisible();
  // Recorded in the run's JSON report (the issue asks for under 2 s).
  test.info().annotations.push({
    type: 'clusters-page-render-ms',
    description: String(Date.now() - started),
  });
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
