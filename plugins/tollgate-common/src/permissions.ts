import {
  createPermission,
  type BasicPermission,
} from '@backstage/plugin-permission-common';

/** Permission to list and read registered clusters. */
export const tollgateClusterReadPermission = createPermission({
  name: 'tollgate.cluster.read',
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
  attributes: { action: 'update' },
});

/** Permission to remove a cluster from Tollgate. */
export const tollgateClusterDeletePermission = createPermission({
  name: 'tollgate.cluster.delete',
  attributes: { action: 'delete' },
});

/** Permission to create, rotate and revoke a cluster's agent token. */
export const tollgateAgentTokenManagePermission = createPermission({
  name: 'tollgate.agent.token.manage',
  attributes: { action: 'update' },
});

/** Permission to list and read promotion previews and their diff, cost, risk and explanation. */
export const tollgatePromotionReadPermission = createPermission({
  name: 'tollgate.promotion.read',
  attributes: { action: 'read' },
});

/** Permission to preview a promotion (computes and stores the preview). */
export const tollgatePromotionCreatePermission = createPermission({
  name: 'tollgate.promotion.create',
  attributes: { action: 'create' },
});

/** Every permission Tollgate defines, for registration with the framework. */
export const tollgatePermissions: BasicPermission[] = [
  tollgateClusterReadPermission,
  tollgateClusterCreatePermission,
  tollgateClusterUpdatePermission,
  tollgateClusterDeletePermission,
  tollgateAgentTokenManagePermission,
  tollgatePromotionReadPermission,
  tollgatePromotionCreatePermission,
];
