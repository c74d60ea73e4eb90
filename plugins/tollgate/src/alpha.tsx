import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import HistoryIcon from '@material-ui/icons/History';
import PlaylistAddCheckIcon from '@material-ui/icons/PlaylistAddCheck';
import { tollgateApiRef, TollgateClient } from './api';
import { isTollgateAvailable } from './isTollgateAvailable';
import {
  auditRouteRef,
  getStartedRouteRef,
  promotionsRouteRef,
  rootRouteRef,
} from './routes';

const tollgateApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: tollgateApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new TollgateClient(deps),
    }),
});

const clustersPage = PageBlueprint.make({
  params: {
    path: '/tollgate/clusters',
    title: 'Clusters',
    icon: <CloudQueueIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () => import('./components/Router').then(m => <m.Router />),
  },
});

const promotionsPage = PageBlueprint.make({
  name: 'promotions',
  params: {
    path: '/tollgate/promotions',
    title: 'Promotions',
    icon: <CallSplitIcon />,
    routeRef: promotionsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/PromotionsPage').then(m => <m.PromotionsPage />),
  },
});

const auditPage = PageBlueprint.make({
  name: 'audit',
  params: {
    path: '/tollgate/audit',
    title: 'Audit log',
    icon: <HistoryIcon />,
    routeRef: auditRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/AuditLogPage').then(m => <m.AuditLogPage />),
  },
});

const getStartedPage = PageBlueprint.make({
  name: 'get-started',
  params: {
    path: '/tollgate/get-started',
    title: 'Get started',
    icon: <PlaylistAddCheckIcon />,
    routeRef: getStartedRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/GetStartedPage').then(m => <m.GetStartedPage />),
  },
});

const promotionEntityContent = EntityContentBlueprint.make({
  name: 'promotion',
  params: {
    path: 'tollgate-promotion',
    title: 'Promotion',
    filter: isTollgateAvailable,
    loader: () =>
      import('./components/EntityPromotionContent').then(m => (
        <m.EntityPromotionContent />
      )),
  },
});

const costEntityContent = EntityContentBlueprint.make({
  name: 'cost',
  params: {
    path: 'tollgate-cost',
    title: 'Cost',
    filter: isTollgateAvailable,
    loader: () =>
      import('./components/EntityCostContent').then(m => (
        <m.EntityCostContent />
      )),
  },
});

/** Tollgate for apps on Backstage's new frontend system. */
export default createFrontendPlugin({
  pluginId: 'tollgate',
  title: 'Tollgate',
  icon: <CloudQueueIcon />,
  routes: {
    root: rootRouteRef,
    promotions: promotionsRouteRef,
    audit: auditRouteRef,
    getStarted: getStartedRouteRef,
  },
  extensions: [
    tollgateApi,
    clustersPage,
    promotionsPage,
    auditPage,
    getStartedPage,
    promotionEntityContent,
    costEntityContent,
  ],
});

export { isTollgateAvailable };
