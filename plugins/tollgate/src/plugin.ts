import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { tollgateApiRef, TollgateClient } from './api';
import { rootRouteRef } from './routes';

/** Tollgate for apps on Backstage's legacy frontend system. */
export const tollgatePlugin = createPlugin({
  id: 'tollgate',
  apis: [
    createApiFactory({
      api: tollgateApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new TollgateClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The Clusters page, for a legacy app's routes. */
export const TollgateClustersPage = tollgatePlugin.provide(
  createRoutableExtension({
    name: 'TollgateClustersPage',
    component: () => import('./components/Router').then(m => m.Router),
    mountPoint: rootRouteRef,
  }),
);
