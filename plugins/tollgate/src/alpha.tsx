import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { tollgateApiRef, TollgateClient } from './api';
import { rootRouteRef } from './routes';

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

/** Tollgate for apps on Backstage's new frontend system. */
export default createFrontendPlugin({
  pluginId: 'tollgate',
  title: 'Tollgate',
  icon: <CloudQueueIcon />,
  routes: { root: rootRouteRef },
  extensions: [tollgateApi, clustersPage],
});
