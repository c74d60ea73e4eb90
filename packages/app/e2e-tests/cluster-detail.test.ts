import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// See clusters.test.ts: animation frames can stall on a loaded runner.
const CLICK = { force: true } as const;

// The demo agents push examples/clusters/ through the real agent and ingest API.
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

test('a cluster fed by its agent shows its nodes, workloads and Helm releases', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click(CLICK);
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Clusters' }),
  ).toHaveAttribute('href', '/tollgate/clusters');
  await page.goto('/tollgate/clusters');
  await page.getByRole('link', { name: 'Demo production' }).click(CLICK);

  await expect(
    page.getByRole('heading', { name: 'Demo production', level: 1 }),
  ).toBeVisible();
  // The agent needs a moment for its first snapshot; reload until it has arrived.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Connected', { exact: true })).toBeVisible({
      timeout: 2_000,
    });
    await expect(page.getByText('Nodes (3)')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  await expect(page.getByText('m5.xlarge').first()).toBeVisible();
  await expect(page.getByText('ghcr.io/acme/checkout-api:2.3.1')).toBeVisible();
  await expect(page.getByText('checkout-api-2.3.1')).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/cluster-detail.png',
    fullPage: true,
  });

  await page.getByRole('button', { name: 'Rotate token' }).click(CLICK);
  await expect(page.getByText(/the token is shown only once/)).toBeVisible();
  await expect(page.getByText(/helm install tollgate-agent/)).toBeVisible();
  await page.screenshot({
    path: 'e2e-screenshots/cluster-connect.png',
    fullPage: true,
  });
});
