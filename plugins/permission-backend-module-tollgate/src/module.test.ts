import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { TollgatePermissionPolicy } from './TollgatePermissionPolicy';
import { permissionModuleTollgatePolicy } from './module';

describe('permissionModuleTollgatePolicy', () => {
  it('sets the Tollgate policy with the configured roles', async () => {
    let policy: PermissionPolicy | undefined;
    await startTestBackend({
      extensionPoints: [
        [
          policyExtensionPoint,
          { setPolicy: (p: PermissionPolicy) => (policy = p) },
        ],
      ],
      features: [
        permissionModuleTollgatePolicy,
        mockServices.rootConfig.factory({
          data: {
            tollgate: {
              rbac: {
                roles: [{ role: 'admin', members: ['user:default/guest'] }],
              },
            },
          },
        }),
      ],
    });
    expect(policy).toBeInstanceOf(TollgatePermissionPolicy);
  });

  it('refuses to start with invalid roles', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [[policyExtensionPoint, { setPolicy: () => {} }]],
        features: [
          permissionModuleTollgatePolicy,
          mockServices.rootConfig.factory({
            data: { tollgate: { rbac: { roles: [{ role: 'root' }] } } },
          }),
        ],
      }),
    ).rejects.toThrow(/Invalid tollgate.rbac.roles/);
  });
});
