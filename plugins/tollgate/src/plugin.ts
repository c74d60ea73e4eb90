import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { tollgateApiRef, TollgateClient } from './api';
import {
  auditRouteRef,
  getStartedRouteRef,
  promotionsRouteRef,
  rootRouteRef,
} from './routes';

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
  routes: {
    root: rootRouteRef,
    promotions: promotionsRouteRef,
    audit: auditRouteRef,
    getStarted: getStartedRouteRef,
  },
});

/** The Clusters page, for a legacy app's routes. */
export const TollgateClustersPage = tollgatePlugin.provide(
  createRoutableExtension({
    name: 'TollgateClustersPage',
    component: () => import('./components/Router').then(m => m.Router),
    mountPoint: rootRouteRef,
  }),
);

/** The Promotions page, for a legacy app's routes. */
export const TollgatePromotionsPage = tollgatePlugin.provide(
  createRoutableExtension({
    name: 'TollgatePromotionsPage',
    component: () =>
      import('./components/PromotionsPage').then(m => m.PromotionsPage),
    mountPoint: promotionsRouteRef,
  }),
);

/** The Audit log page, for a legacy app's routes. */
export const TollgateAuditLogPage = tollgatePlugin.provide(
  createRoutableExtension({
    name: 'TollgateAuditLogPage',
    component: () =>
      import('./components/AuditLogPage').then(m => m.AuditLogPage),
    mountPoint: auditRouteRef,
  }),
);

/** The Get started page, for a legacy app's routes. */
export const TollgateGetStartedPage = tollgatePlugin.provide(
  createRoutableExtension({
    name: 'TollgateGetStartedPage',
    component: () =>
      import('./components/GetStartedPage').then(m => m.GetStartedPage),
    mountPoint: getStartedRouteRef,
  }),
);

/**
 * The Promotion tab of an entity page; guard it with `isTollgateAvailable`:
 * `<EntityLayout.Route path="/tollgate-promotion" title="Promotion" if={isTollgateAvailable}>`.
 */
export const EntityTollgatePromotionContent = tollgatePlugin.provide(
  createComponentExtension({
    name: 'EntityTollgatePromotionContent',
    component: {
      lazy: () =>
        import('./components/EntityPromotionContent').then(
          m => m.EntityPromotionContent,
        ),
    },
  }),
);

/** The Cost tab of an entity page; guard it with `isTollgateAvailable`. */
export const EntityTollgateCostContent = tollgatePlugin.provide(
  createComponentExtension({
    name: 'EntityTollgateCostContent',
    component: {
      lazy: () =>
        import('./components/EntityCostContent').then(m => m.EntityCostContent),
    },
  }),
);
