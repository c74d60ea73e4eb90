import { startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleTollgate } from './module';

describe('scaffolderModuleTollgate', () => {
  it('adds the preview and prepare actions to the Scaffolder', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...actions: TemplateAction<any, any, any>[]) =>
              added.push(...actions),
          },
        ],
      ],
      features: [scaffolderModuleTollgate],
    });
    expect(added.map(action => action.id)).toEqual([
      'tollgate:promotion:preview',
      'tollgate:promotion:prepare',
    ]);
  });
});
