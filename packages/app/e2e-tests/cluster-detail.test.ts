import { expect, test } from '@playwright/test';
import { CLICK, screenshot, signInAs, startDemoAgents } from './support';

let stopAgents: () => void = () => {};
test.beforeAll(() => {
  stopAgents = startDemoAgents();
});
test.afterAll(() => stopAgents());

test('a cluster fed by its agent shows its nodes, workloads and Helm releases', async ({
  page,
}) => {
  await signInAs(page, 'Guest');
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
    path: screenshot('cluster-detail'),
    fullPage: true,
  });

  await page.getByRole('button', { name: 'Rotate token' }).click(CLICK);
  await expect(page.getByText(/the token is shown only once/)).toBeVisible();
  await expect(page.getByText(/helm install tollgate-agent/)).toBeVisible();
  await page.screenshot({
    path: screenshot('cluster-connect'),
    fullPage: true,
  });
});
