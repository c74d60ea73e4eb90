import {
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/** Resource type of clusters: conditions scope them by environment or name. */
export const TOLLGATE_CLUSTER_RESOURCE_TYPE = 'tollgate-cluster';
/** Resource type of promotions: conditions scope them by target environment. */
export const TOLLGATE_PROMOTION_RESOURCE_TYPE = 'tollgate-promotion';

/** Permission to list and read registered clusters. */
export const tollgateClusterReadPermission = createPermission({
  name: 'tollgate.cluster.read',
  resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
  attributes: { action: 'read' },
});

/** Permission to register a cluster. */
export const tollgateClusterCreatePermission = createPermission({
  name: 'tollgate.cluster.create',
  attributes: { action: 'create' },
});

/** Permission to change a cluster's registration. */
export const tollgateClusterUpdatePermission = createPermission({
  name: 'tollgate.cluster.update',
  resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
  attributes: { action: 'update' },
});

/** Permission to remove a cluster from Tollgate. */
export const tollgateClusterDeletePermission = createPermission({
  name: 'tollgate.cluster.delete',
  resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
  attributes: { action: 'delete' },
});

/** Permission to create, rotate and revoke a cluster's agent token. */
export const tollgateAgentTokenManagePermission = createPermission({
  name: 'tollgate.agent.token.manage',
  resourceType: TOLLGATE_CLUSTER_RESOURCE_TYPE,
  attributes: { action: 'update' },
});

/** Permission to list and read promotion previews and their diff, cost, risk and explanation. */
export const tollgatePromotionReadPermission = createPermission({
  name: 'tollgate.promotion.read',
  resourceType: TOLLGATE_PROMOTION_RESOURCE_TYPE,
  attributes: { action: 'read' },
});

/** Permission to preview a promotion (computes and stores the preview). */
export const tollgatePromotionCreatePermission = createPermission({
  name: 'tollgate.promotion.create',
  attributes: { action: 'create' },
});

/** Permission to approve or reject a promotion, scoped by its target environment. */
export const tollgatePromotionApprovePermission = createPermission({
  name: 'tollgate.promotion.approve',
  attributes: { action: 'update' },
  resourceType: TOLLGATE_PROMOTION_RESOURCE_TYPE,
});

/** Permission to read, export and verify the audit log. */
export const tollgateAuditReadPermission = createPermission({
  name: 'tollgate.audit.read',
  attributes: { action: 'read' },
});

/** Every permission Tollgate defines, for registration with the framework. */
export const tollgatePermissions: Permission[] = [
  tollgateClusterReadPermission,
  tollgateClusterCreatePermission,
  tollgateClusterUpdatePermission,
  tollgateClusterDeletePermission,
  tollgateAgentTokenManagePermission,
  tollgatePromotionReadPermission,
  tollgatePromotionCreatePermission,
  tollgatePromotionApprovePermission,
  tollgateAuditReadPermission,
];
