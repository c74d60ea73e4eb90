import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
  type PermissionCondition,
  type PermissionCriteria,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  TOLLGATE_CLUSTER_RESOURCE_TYPE,
  TOLLGATE_PROMOTION_RESOURCE_TYPE,
} from './permissions';

/**
 * Names and parameters of Tollgate's permission rules. The backend implements
 * them (in memory and as SQL); policies build conditions from them here, so a
 * policy module needs nothing but this isomorphic package.
 */
export const TOLLGATE_PERMISSION_RULES = {
  /** Cluster: its environment is one of `environments`. */
  isInEnvironment: 'isInEnvironment',
  /** Cluster: its name is one of `clusters`. */
  isCluster: 'isCluster',
  /** Promotion: its target environment is one of `environments`. */
  hasTargetEnvironment: 'hasTargetEnvironment',
} as const;

export type EnvironmentsParams = { environments: string[] };
export type ClustersParams = { clusters: string[] };

type ClusterType = typeof TOLLGATE_CLUSTER_RESOURCE_TYPE;
type PromotionType = typeof TOLLGATE_PROMOTION_RESOURCE_TYPE;

/** Conditions on `tollgate-cluster` resources. */
export const tollgateClusterConditions = {
  isInEnvironment: (
    params: EnvironmentsParams,
  ): PermissionCondition<ClusterType, EnvironmentsParams> => ({
    resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
    rule: TOLLGATE_PERMISSION_RULES.isInEnvironment,
    params,
  }),
  isCluster: (
    params: ClustersParams,
  ): PermissionCondition<ClusterType, ClustersParams> => ({
    resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
    rule: TOLLGATE_PERMISSION_RULES.isCluster,
    params,
  }),
};

/** Conditions on `tollgate-promotion` resources. */
export const tollgatePromotionConditions = {
  hasTargetEnvironment: (
    params: EnvironmentsParams,
  ): PermissionCondition<PromotionType, EnvironmentsParams> => ({
    resourceType: TOLLGATE_PROMOTION_RESOURCE_TYPE,
    rule: TOLLGATE_PERMISSION_RULES.hasTargetEnvironment,
    params,
  }),
};

/** A CONDITIONAL decision on a Tollgate resource permission. */
export function createTollgateConditionalDecision<T extends string>(
  permission: ResourcePermission<T>,
  conditions: PermissionCriteria<PermissionCondition<T>>,
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'tollgate',
    resourceType: permission.resourceType,
    conditions,
  };
}
