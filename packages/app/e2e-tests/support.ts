import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');

// On a loaded two-core runner Chromium's animation frames can stall, and
// Playwright's "stable element" check with them; the page itself is unaffected.
export const CLICK = { force: true } as const;

/** Screenshots land in e2e-screenshots/ for people to look at. */
export const screenshot = (name: string) => `e2e-screenshots/${name}.png`;

const BACKEND = 'http://localhost:7007';

/** The demo sign-in page's users (packages/app/src/modules/signIn). */
const DEMO_USERS = {
  Guest: 'guest',
  'SRE lead': 'sre-lead',
  Developer: 'developer',
} as const;
export type DemoUser = keyof typeof DEMO_USERS;

/**
 * Signs in through the demo sign-in page, once the backend can: right after
 * it starts, the catalog has not read examples/org.yaml yet.
 */
export async function signInAs(page: Page, user: DemoUser) {
  await expect(async () => {
    const response = await page.request.get(
      `${BACKEND}/api/auth/demo/refresh`,
      {
        headers: {
          'x-requested-with': 'XMLHttpRequest',
          'x-tollgate-demo-user': DEMO_USERS[user],
        },
      },
    );
    expect(response.status()).toBe(200);
  }).toPass({ timeout: 180_000, intervals: [2_000] });
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
      env: { ...process.env, TOLLGATE_DEMO_BACKEND: BACKEND },
      stdio: 'inherit',
    },
  );
  return () => agents.kill('SIGTERM');
}
