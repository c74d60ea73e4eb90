import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');

// On a loaded two-core runner Chromium's animation frames can stall, and
// Playwright's "stable element" check with them; the page itself is unaffected.
export const CLICK = { force: true } as const;

/** Screenshots land in e2e-screenshots/ for people to look at. */
export const screenshot = (name: string) => `e2e-screenshots/${name}.png`;

/** The demo sign-in page's users (packages/app/src/modules/signIn). */
export type DemoUser = 'Guest' | 'SRE lead' | 'Developer';

export async function signInAs(page: Page, user: DemoUser) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${user}` }).click(CLICK);
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Clusters' }),
  ).toHaveAttribute('href', '/tollgate/clusters');
}

/**
 * The demo agents push examples/clusters/ through the real agent and ingest
 * API, as `.ci/start` does; returns a function that stops them.
 */
export function startDemoAgents(): () => void {
  const agents: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'examples/demo/connect-agents.mjs')],
    {
      env: { ...process.env, TOLLGATE_DEMO_BACKEND: 'http://localhost:7007' },
      stdio: 'inherit',
    },
  );
  return () => agents.kill('SIGTERM');
}
