import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Write an approved promotion's change into the workspace and open the pull request with Backstage's GitHub action",
    example: stringify({
      steps: [
        {
          id: 'prepare',
          action: 'tollgate:promotion:prepare',
          name: 'Write the change',
          input: { promotionId: '${{ steps.preview.output.promotionId }}' },
        },
        {
          id: 'publish',
          action: 'publish:github:pull-request',
          name: 'Open the pull request',
          input: {
            repoUrl: 'github.com?owner=acme&repo=gitops',
            branchName: '${{ steps.prepare.output.branchName }}',
            title: '${{ steps.prepare.output.title }}',
            description: '${{ steps.prepare.output.body }}',
          },
        },
      ],
    }),
  },
];
