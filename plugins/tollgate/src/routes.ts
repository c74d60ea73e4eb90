import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'tollgate' });

export const clusterRouteRef = createSubRouteRef({
  id: 'tollgate-cluster',
  parent: rootRouteRef,
  path: '/:clusterId',
});

/** All promotions (by default `/tollgate/promotions`). */
export const promotionsRouteRef = createRouteRef({ id: 'tollgate-promotions' });

/** The audit log (by default `/tollgate/audit`). */
export const auditRouteRef = createRouteRef({ id: 'tollgate-audit' });

/** Connect a cluster step by step (by default `/tollgate/get-started`). */
export const getStartedRouteRef = createRouteRef({
  id: 'tollgate-get-started',
});
