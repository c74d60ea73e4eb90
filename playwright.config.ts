import { defineConfig } from '@playwright/test';

// Browser tests run in Debian's Chromium (apt-get install chromium); Playwright's
// own browser downloads cannot be reached here.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// In CI the backend serves the built app on :7007 (.ci/run builds it first);
// locally the dev servers run on :3000 and :7007.
const baseURL =
  process.env.PLAYWRIGHT_URL ??
  (process.env.CI ? 'http://localhost:7007' : 'http://localhost:3000');

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  outputDir: 'node_modules/.cache/e2e-test-results',
  webServer: process.env.CI
    ? [
        {
          command: 'yarn workspace backend start',
          url: 'http://localhost:7007/api/tollgate/health',
          env: { APP_CONFIG_app_baseUrl: baseURL },
          reuseExistingServer: !process.env.CI_FRESH_BACKEND,
          timeout: 600_000,
          stdout: 'pipe',
        },
      ]
    : [
        {
          command: 'yarn start',
          url: 'http://localhost:3000',
          reuseExistingServer: true,
          timeout: 240_000,
        },
      ],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
