import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'tollgate' });

export const clusterRouteRef = createSubRouteRef({
  id: 'tollgate-cluster',
  parent: rootRouteRef,
  path: '/:clusterId',
});
