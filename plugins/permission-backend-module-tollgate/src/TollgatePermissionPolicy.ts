import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createTollgateConditionalDecision,
  TOLLGATE_CLUSTER_RESOURCE_TYPE,
  TOLLGATE_PROMOTION_RESOURCE_TYPE,
  tollgateClusterConditions,
  tollgatePromotionConditions,
} from '@tollgate/plugin-tollgate-common';
import { normalizeEntityRef, roleIncludes, type RoleGrant } from './roleGrants';

type Criteria = PermissionCriteria<PermissionCondition>;

const TOLLGATE_PREFIX = 'tollgate.';

/**
 * Tollgate's default policy: roles from `tollgate.rbac.roles` for Tollgate
 * permissions, scoped by environment or cluster with CONDITIONAL decisions;
 * every other Backstage permission is allowed, as with the allow-all policy,
 * so the rest of the portal keeps working. Replace or wrap it to restrict
 * other plugins.
 */
export class TollgatePermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly grants: RoleGrant[],
    private readonly userInfo: UserInfoService,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith(TOLLGATE_PREFIX)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const grants = (await this.grantsOf(user)).filter(grant =>
      roleIncludes(grant.role, permission),
    );
    if (grants.some(isUnscoped)) return { result: AuthorizeResult.ALLOW };
    if (!isResourcePermission(permission)) {
      // A basic permission has no resource to scope: any grant of the role gives it.
      return {
        result: grants.length ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    return scopedDecision(permission, grants);
  }

  private async grantsOf(user: PolicyQueryUser): Promise<RoleGrant[]> {
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const refs = new Set(ownershipEntityRefs.map(normalizeEntityRef));
    return this.grants.filter(grant =>
      grant.members.some(member => refs.has(member)),
    );
  }
}

function isUnscoped(grant: RoleGrant): boolean {
  return !grant.environments && !grant.clusters;
}

/** CONDITIONAL on any of the grants' scopes, or DENY when none applies. */
function scopedDecision(
  permission: ResourcePermission,
  grants: RoleGrant[],
): PolicyDecision {
  const scopes = grants
    .map(grant => scopeOf(grant, permission.resourceType))
    .filter((scope): scope is Criteria => scope !== undefined);
  const criteria = combine('anyOf', scopes);
  if (!criteria) return { result: AuthorizeResult.DENY };
  return createTollgateConditionalDecision(permission, criteria);
}

/**
 * What a scoped grant covers of a resource type: clusters in its environments
 * and with its names; promotions into its environments (a grant scoped only
 * by cluster names covers no promotions).
 */
function scopeOf(grant: RoleGrant, resourceType: string): Criteria | undefined {
  const { environments, clusters } = grant;
  if (resourceType === TOLLGATE_PROMOTION_RESOURCE_TYPE) {
    return environments
      ? tollgatePromotionConditions.hasTargetEnvironment({ environments })
      : undefined;
  }
  if (resourceType !== TOLLGATE_CLUSTER_RESOURCE_TYPE) return undefined;
  const parts: Criteria[] = [];
  if (environments) {
    parts.push(tollgateClusterConditions.isInEnvironment({ environments }));
  }
  if (clusters) parts.push(tollgateClusterConditions.isCluster({ clusters }));
  return combine('allOf', parts);
}

/** One criterion as is, several under `anyOf` / `allOf`, none as undefined. */
function combine(
  kind: 'anyOf' | 'allOf',
  parts: Criteria[],
): Criteria | undefined {
  const [first, ...rest] = parts;
  if (!first) return undefined;
  if (rest.length === 0) return first;
  const all: [Criteria, ...Criteria[]] = [first, ...rest];
  return kind === 'anyOf' ? { anyOf: all } : { allOf: all };
}
