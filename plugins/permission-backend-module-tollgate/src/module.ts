import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readRoleGrants } from './roleGrants';
import { TollgatePermissionPolicy } from './TollgatePermissionPolicy';

/**
 * Sets {@link TollgatePermissionPolicy} as the permission backend's policy,
 * with the roles of `tollgate.rbac.roles`.
 */
export const permissionModuleTollgatePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'tollgate-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
      },
      async init({ policy, config, userInfo, logger }) {
        const grants = readRoleGrants(config);
        logger.info(
          `Tollgate policy: ${grants.length} role grant(s); non-Tollgate permissions are allowed`,
        );
        policy.setPolicy(new TollgatePermissionPolicy(grants, userInfo));
      },
    });
  },
});
