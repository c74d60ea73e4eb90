import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startTollgateApi } from '../__testUtils__/tollgateApi';
import { createPromotionPrepareAction } from './prepare';

const change = {
  promotionId: 'p-1',
  repo: 'https://github.com/acme/gitops',
  baseBranch: 'main',
  baseCommit: 'a'.repeat(40),
  headBranch: 'tollgate/promote-checkout-api-production',
  title: 'Promote checkout-api to production (from staging)',
  body: '### Cost\n\n+$12.40 ($40.10 -> $52.50)',
  labels: ['tollgate', 'promotion'],
  files: [
    {
      path: 'apps/checkout-api/overlays/production/kustomization.yaml',
      content:
        'images:\n  - name: ghcr.io/acme/checkout-api\n    newTag: 2.4.0 # kept\n',
      previous:
        'images:\n  - name: ghcr.io/acme/checkout-api\n    newTag: 2.3.1 # kept\n',
    },
  ],
  manualSteps: ['Set env FOO by hand'],
};

describe('tollgate:promotion:prepare', () => {
  const workspace = createMockDirectory();
  let api: Awaited<ReturnType<typeof startTollgateApi>>;

  beforeEach(async () => {
    workspace.clear();
    api = await startTollgateApi({
      'GET /api/tollgate/v1/promotions/p-1/change': {
        status: 200,
        body: change,
      },
    });
  });
  afterEach(() => api.close());

  it('writes the changed files into the workspace at their repository paths', async () => {
    const action = createPromotionPrepareAction(api.client);
    const ctx = createMockActionContext({
      input: { promotionId: 'p-1' },
      workspacePath: workspace.path,
    });

    await action.handler(ctx as any);

    expect(
      await readFile(
        join(
          workspace.path,
          'apps/checkout-api/overlays/production/kustomization.yaml',
        ),
        'utf8',
      ),
    ).toBe(change.files[0].content);
    expect(ctx.output).toHaveBeenCalledWith('branchName', change.headBranch);
    expect(ctx.output).toHaveBeenCalledWith('baseBranch', 'main');
    expect(ctx.output).toHaveBeenCalledWith('title', change.title);
    expect(ctx.output).toHaveBeenCalledWith('body', change.body);
    expect(ctx.output).toHaveBeenCalledWith('files', [change.files[0].path]);
    expect(ctx.output).toHaveBeenCalledWith('manualSteps', change.manualSteps);
    expect(api.received[0].headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('writes under targetPath, and nothing in a dry run', async () => {
    const action = createPromotionPrepareAction(api.client);
    await action.handler(
      createMockActionContext({
        input: { promotionId: 'p-1', targetPath: 'gitops' },
        workspacePath: workspace.path,
      }) as any,
    );
    expect(workspace.content()).toEqual({
      gitops: {
        apps: {
          'checkout-api': {
            overlays: {
              production: { 'kustomization.yaml': change.files[0].content },
            },
          },
        },
      },
    });

    workspace.clear();
    const dryRun = {
      ...createMockActionContext({
        input: { promotionId: 'p-1' },
        workspacePath: workspace.path,
      }),
      isDryRun: true,
    };
    await action.handler(dryRun as any);
    expect(workspace.content()).toEqual({});
    expect(dryRun.output).toHaveBeenCalledWith('branchName', change.headBranch);
  });

  it('refuses a file path that leaves the workspace', async () => {
    await api.close();
    api = await startTollgateApi({
      'GET /api/tollgate/v1/promotions/p-1/change': {
        status: 200,
        body: {
          ...change,
          files: [{ path: '../escape.yaml', content: 'x', previous: null }],
        },
      },
    });
    const action = createPromotionPrepareAction(api.client);
    const ctx = createMockActionContext({
      input: { promotionId: 'p-1' },
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/outside/i);
  });
});
