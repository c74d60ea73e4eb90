import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { TollgateClient } from '../TollgateClient';
import { examples } from './prepare.examples';

/**
 * `tollgate:promotion:prepare`: writes the files a promotion changes in
 * its GitOps repository into the task workspace (at their repository
 * paths), with the branch name, title and body Tollgate would use, so a
 * built-in publish action (`publish:github:pull-request`, ...) opens the
 * pull request.
 */
export function createPromotionPrepareAction(client: TollgateClient) {
  return createTemplateAction({
    id: 'tollgate:promotion:prepare',
    description:
      "Writes a Tollgate promotion's change (the GitOps files it edits, comments kept) into the workspace for a publish action to open as a pull request",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        promotionId: z =>
          z
            .string()
            .min(1)
            .describe(
              'Id of a stored preview, e.g. the output of tollgate:promotion:preview',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace folder to write the repository files under. Default: the workspace root',
            ),
      },
      output: {
        branchName: z =>
          z
            .string()
            .describe(
              'Branch name by Tollgate’s convention, e.g. tollgate/promote-checkout-api-production',
            ),
        baseBranch: z => z.string().describe('Branch the pull request targets'),
        title: z => z.string().describe('Pull request title'),
        body: z =>
          z
            .string()
            .describe('Pull request body: cost, risk, explanation, link'),
        labels: z =>
          z.array(z.string()).describe('Labels by Tollgate’s convention'),
        files: z => z.array(z.string()).describe('Repository paths written'),
        manualSteps: z =>
          z
            .array(z.string())
            .describe('What Tollgate did not write and a person must do'),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const change = await client.change(ctx.input.promotionId, credentials);
      const root = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.targetPath ?? '.',
      );
      for (const file of change.files) {
        const target = resolveSafeChildPath(root, file.path);
        if (ctx.isDryRun) continue;
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.content, 'utf8');
      }
      ctx.logger.info(
        `Wrote ${change.files.length} file(s) of promotion ${
          change.promotionId
        }, computed on ${change.baseBranch} at ${change.baseCommit.slice(
          0,
          12,
        )}`,
      );
      for (const step of change.manualSteps)
        ctx.logger.warn(`By hand: ${step}`);
      ctx.output('branchName', change.headBranch);
      ctx.output('baseBranch', change.baseBranch);
      ctx.output('title', change.title);
      ctx.output('body', change.body);
      ctx.output('labels', change.labels);
      ctx.output(
        'files',
        change.files.map(file => file.path),
      );
      ctx.output('manualSteps', change.manualSteps);
    },
  });
}
