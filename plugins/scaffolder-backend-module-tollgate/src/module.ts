import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPromotionPrepareAction } from './actions/prepare';
import { createPromotionPreviewAction } from './actions/preview';
import { TollgateClient } from './TollgateClient';

/** Adds the Tollgate promotion actions to the Scaffolder. */
export const scaffolderModuleTollgate = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'tollgate',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        const client = new TollgateClient(discovery, auth);
        scaffolder.addActions(
          createPromotionPreviewAction(client),
          createPromotionPrepareAction(client),
        );
      },
    });
  },
});
