import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import {
  tollgateAgentTokenManagePermission,
  tollgateAuditReadPermission,
  tollgateClusterDeletePermission,
  tollgateClusterReadPermission,
  tollgateClusterUpdatePermission,
  tollgatePermissions,
  tollgatePromotionApprovePermission,
  tollgatePromotionCreatePermission,
  tollgatePromotionReadPermission,
} from '@tollgate/plugin-tollgate-common';
import { readRoleGrants } from './roleGrants';
import { TollgatePermissionPolicy } from './TollgatePermissionPolicy';

const GROUPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/sre'],
  'user:default/bob': ['group:default/team-a', 'group:default/team-b'],
};

function policyFor(roles: Array<Record<string, string | string[]>>) {
  const grants = readRoleGrants(
    new ConfigReader({ tollgate: { rbac: { roles } } }),
  );
  return new TollgatePermissionPolicy(grants, {
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
      };
    },
  });
}

function ask(
  policy: TollgatePermissionPolicy,
  permission: Permission,
  userRef: string | null = 'user:default/alice',
) {
  if (userRef === null) return policy.handle({ permission });
  return policy.handle(
    { permission },
    {
      credentials: mockCredentials.user(userRef),
      info: { userEntityRef: userRef, ownershipEntityRefs: [] },
    },
  );
}

const ALLOW = { result: AuthorizeResult.ALLOW };
const DENY = { result: AuthorizeResult.DENY };
const conditional = (resourceType: string, conditions: unknown) => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'tollgate',
  resourceType,
  conditions,
});

describe('TollgatePermissionPolicy', () => {
  it.each([
    [
      'viewer',
      [
        tollgateClusterReadPermission.name,
        tollgatePromotionReadPermission.name,
      ],
    ],
    [
      'promoter',
      [
        tollgateClusterReadPermission.name,
        tollgatePromotionReadPermission.name,
        tollgatePromotionCreatePermission.name,
      ],
    ],
    [
      'approver',
      [
        tollgateClusterReadPermission.name,
        tollgatePromotionReadPermission.name,
        tollgatePromotionCreatePermission.name,
        tollgatePromotionApprovePermission.name,
      ],
    ],
    ['admin', tollgatePermissions.map(p => p.name)],
  ])('gives an unscoped %s exactly its permissions', async (role, allowed) => {
    const policy = policyFor([{ role, members: ['group:default/sre'] }]);
    for (const permission of tollgatePermissions) {
      expect([permission.name, await ask(policy, permission)]).toEqual([
        permission.name,
        allowed.includes(permission.name) ? ALLOW : DENY,
      ]);
    }
  });

  it('denies Tollgate permissions to users without a grant and to no user', async () => {
    const policy = policyFor([
      { role: 'admin', members: ['group:default/sre'] },
    ]);
    for (const permission of tollgatePermissions) {
      expect(await ask(policy, permission, 'user:default/bob')).toEqual(DENY);
      expect(await ask(policy, permission, null)).toEqual(DENY);
    }
  });

  it('allows every non-Tollgate permission, so the rest of Backstage works', async () => {
    const policy = policyFor([]);
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    expect(await ask(policy, catalogRead)).toEqual(ALLOW);
    expect(await ask(policy, catalogRead, null)).toEqual(ALLOW);
  });

  it('scopes an approver to its environments with conditions', async () => {
    const policy = policyFor([
      {
        role: 'approver',
        members: ['group:sre'],
        environments: ['production'],
      },
    ]);
    expect(await ask(policy, tollgatePromotionApprovePermission)).toEqual(
      conditional('tollgate-promotion', {
        resourceType: 'tollgate-promotion',
        rule: 'hasTargetEnvironment',
        params: { environments: ['production'] },
      }),
    );
    expect(await ask(policy, tollgateClusterReadPermission)).toEqual(
      conditional('tollgate-cluster', {
        resourceType: 'tollgate-cluster',
        rule: 'isInEnvironment',
        params: { environments: ['production'] },
      }),
    );
    // Basic permissions have no resource to scope.
    expect(await ask(policy, tollgatePromotionCreatePermission)).toEqual(ALLOW);
    expect(await ask(policy, tollgateClusterUpdatePermission)).toEqual(DENY);
    expect(await ask(policy, tollgateAuditReadPermission)).toEqual(DENY);
  });

  it('scopes clusters by name and environment together, and gives cluster-only grants no promotions', async () => {
    const policy = policyFor([
      {
        role: 'admin',
        members: ['user:default/alice'],
        environments: ['staging'],
        clusters: ['stg-eu'],
      },
      { role: 'viewer', members: ['group:default/sre'], clusters: ['qa-1'] },
    ]);
    expect(await ask(policy, tollgateClusterDeletePermission)).toEqual(
      conditional('tollgate-cluster', {
        allOf: [
          {
            resourceType: 'tollgate-cluster',
            rule: 'isInEnvironment',
            params: { environments: ['staging'] },
          },
          {
            resourceType: 'tollgate-cluster',
            rule: 'isCluster',
            params: { clusters: ['stg-eu'] },
          },
        ],
      }),
    );
    expect(await ask(policy, tollgateClusterReadPermission)).toEqual(
      conditional('tollgate-cluster', {
        anyOf: [
          {
            allOf: [
              expect.objectContaining({ rule: 'isInEnvironment' }),
              expect.objectContaining({ rule: 'isCluster' }),
            ],
          },
          {
            resourceType: 'tollgate-cluster',
            rule: 'isCluster',
            params: { clusters: ['qa-1'] },
          },
        ],
      }),
    );
    expect(await ask(policy, tollgatePromotionReadPermission)).toEqual(
      conditional('tollgate-promotion', {
        resourceType: 'tollgate-promotion',
        rule: 'hasTargetEnvironment',
        params: { environments: ['staging'] },
      }),
    );
    expect(await ask(policy, tollgateAgentTokenManagePermission)).toEqual(
      expect.objectContaining({ result: AuthorizeResult.CONDITIONAL }),
    );
  });

  it('lets an unscoped grant win over scoped ones, and adds scopes of several groups', async () => {
    const policy = policyFor([
      { role: 'viewer', members: ['group:default/team-a'] },
      {
        role: 'approver',
        members: ['group:default/team-a'],
        environments: ['staging'],
      },
      {
        role: 'approver',
        members: ['group:default/team-b'],
        environments: ['production'],
      },
    ]);
    const bob = 'user:default/bob';
    expect(await ask(policy, tollgatePromotionReadPermission, bob)).toEqual(
      ALLOW,
    );
    expect(await ask(policy, tollgatePromotionApprovePermission, bob)).toEqual(
      conditional('tollgate-promotion', {
        anyOf: [
          expect.objectContaining({ params: { environments: ['staging'] } }),
          expect.objectContaining({ params: { environments: ['production'] } }),
        ],
      }),
    );
  });

  it('reads and checks tollgate.rbac.roles', () => {
    expect(
      readRoleGrants(
        new ConfigReader({
          tollgate: {
            rbac: { roles: [{ role: 'viewer', members: ['Group:SRE'] }] },
          },
        }),
      ),
    ).toEqual([{ role: 'viewer', members: ['group:default/sre'] }]);
    expect(readRoleGrants(new ConfigReader({}))).toEqual([]);
    expect(() =>
      readRoleGrants(
        new ConfigReader({
          tollgate: {
            rbac: {
              roles: [
                { role: 'owner', members: ['group:default/sre'] },
                { role: 'viewer', members: ['sre team'] },
              ],
            },
          },
        }),
      ),
    ).toThrow(
      'Invalid tollgate.rbac.roles: [0.role] role must be one of viewer, promoter, approver, admin; [1.members.0] members must be entity refs such as group:default/sre',
    );
  });
});
