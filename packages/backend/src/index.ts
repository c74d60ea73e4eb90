import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// The demo's sign-in as one of several catalog users (development only).
backend.add(import('./modules/demoUsersAuth'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@tollgate/plugin-scaffolder-backend-module-tollgate'));

backend.add(import('@backstage/plugin-permission-backend'));
// Tollgate's roles from tollgate.rbac.roles; other plugins' permissions are allowed.
backend.add(import('@tollgate/plugin-permission-backend-module-tollgate'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@tollgate/plugin-tollgate-backend'));

backend.start();
