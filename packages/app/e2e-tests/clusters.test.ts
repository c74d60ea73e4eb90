import { expect, test } from '@playwright/test';
import { CLICK, screenshot, signInAs } from './support';

test('registers a cluster through the Clusters page, lists it and deletes it', async ({
  page,
}) => {
  const name = `e2e-${Date.now().toString(36)}`;

  await signInAs(page, 'Guest');
  await page.goto('/tollgate/clusters');
  await expect(
    page.getByRole('heading', { name: 'Clusters', level: 1 }),
  ).toBeVisible();
  // The demo's declared clusters are there from startup.
  await expect(page.getByText('Demo staging')).toBeVisible();

  await page.getByRole('button', { name: 'Register cluster' }).click(CLICK);
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Register' }).click(CLICK);
  await expect(dialog.getByText('Name is required')).toBeVisible();
  await expect(dialog.getByText('Region is required')).toBeVisible();

  const nameField = dialog.getByLabel('Name', { exact: false }).first();
  await nameField.fill('Not_A_Label');
  await dialog.getByRole('button', { name: 'Register' }).click(CLICK);
  await expect(
    dialog.getByText('Name must be a DNS label', { exact: false }),
  ).toBeVisible();

  await nameField.fill(name);
  await dialog.getByLabel('Display name').fill('E2E cluster');
  await dialog.getByLabel('Provider', { exact: false }).click(CLICK);
  await page.getByRole('option', { name: 'Google Cloud' }).click(CLICK);
  // The closing menu's backdrop would swallow the next clicks.
  await expect(page.getByRole('listbox')).toBeHidden();
  await dialog.getByLabel('Region', { exact: false }).fill('europe-west4');
  await dialog.getByLabel('Environment', { exact: false }).fill('qa');
  await dialog.getByRole('button', { name: 'Register' }).click(CLICK);
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Google Cloud');
  await expect(row).toContainText('europe-west4');
  await expect(row).toContainText('qa');
  await page.screenshot({
    path: screenshot('clusters-registered'),
    fullPage: true,
  });

  await row
    .getByRole('button', { name: `Delete cluster ${name}` })
    .click(CLICK);
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Delete' })
    .click(CLICK);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(
    0,
  );
  await page.screenshot({
    path: screenshot('clusters-after-delete'),
    fullPage: true,
  });
});
