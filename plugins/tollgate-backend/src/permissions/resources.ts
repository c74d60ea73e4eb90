import { z } from 'zod';
import type { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  TOLLGATE_CLUSTER_RESOURCE_TYPE,
  TOLLGATE_PERMISSION_RULES,
  TOLLGATE_PROMOTION_RESOURCE_TYPE,
  tollgatePermissions,
  type Cluster,
  type PromotionListItem,
} from '@tollgate/plugin-tollgate-common';
import type { TollgateStores } from '../stores/TollgateStores';

/**
 * What a permission rule becomes for SQL: a field of the resource and the
 * values it may take. Stores map fields to columns.
 */
export interface FieldFilter {
  field: 'environment' | 'name' | 'targetEnvironment';
  values: string[];
}

/** Conditions of a CONDITIONAL decision on a list, for stores to turn into SQL. */
export type PermissionFilter = PermissionCriteria<FieldFilter>;

export const clusterResourceRef = createPermissionResourceRef<
  Cluster,
  FieldFilter
>().with({
  pluginId: 'tollgate',
  resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
});

export const promotionResourceRef = createPermissionResourceRef<
  PromotionListItem,
  FieldFilter
>().with({
  pluginId: 'tollgate',
  resourceType: TOLLGATE_PROMOTION_RESOURCE_TYPE,
});

const environmentsSchema = z.object({
  environments: z.array(z.string()).describe('Environment names'),
});

export const isInEnvironment = createPermissionRule({
  name: TOLLGATE_PERMISSION_RULES.isInEnvironment,
  description: 'Allow clusters serving one of the given environments',
  resourceRef: clusterResourceRef,
  paramsSchema: environmentsSchema,
  apply: (cluster, { environments }) =>
    environments.includes(cluster.environment),
  toQuery: ({ environments }) => ({
    field: 'environment',
    values: environments,
  }),
});

export const isCluster = createPermissionRule({
  name: TOLLGATE_PERMISSION_RULES.isCluster,
  description: 'Allow the clusters with the given names',
  resourceRef: clusterResourceRef,
  paramsSchema: z.object({
    clusters: z.array(z.string()).describe('Cluster names'),
  }),
  apply: (cluster, { clusters }) => clusters.includes(cluster.name),
  toQuery: ({ clusters }) => ({ field: 'name', values: clusters }),
});

export const hasTargetEnvironment = createPermissionRule({
  name: TOLLGATE_PERMISSION_RULES.hasTargetEnvironment,
  description: 'Allow promotions into one of the given environments',
  resourceRef: promotionResourceRef,
  paramsSchema: environmentsSchema,
  apply: (promotion, { environments }) =>
    promotion.target.environment !== null &&
    environments.includes(promotion.target.environment),
  toQuery: ({ environments }) => ({
    field: 'targetEnvironment',
    values: environments,
  }),
});

/**
 * Registers Tollgate's permissions and its two resource types, so policies
 * can answer CONDITIONAL and the permission backend can apply the conditions
 * to a cluster or promotion by id.
 */
export function registerTollgatePermissions(
  registry: PermissionsRegistryService,
  stores: TollgateStores,
): void {
  registry.addPermissions(tollgatePermissions);
  registry.addResourceType({
    resourceRef: clusterResourceRef,
    rules: [isInEnvironment, isCluster],
    getResources: ids => Promise.all(ids.map(id => stores.clusters.get(id))),
  });
  registry.addResourceType({
    resourceRef: promotionResourceRef,
    rules: [hasTargetEnvironment],
    getResources: ids => Promise.all(ids.map(id => stores.promotions.get(id))),
  });
}
