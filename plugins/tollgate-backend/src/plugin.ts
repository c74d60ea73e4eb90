import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  clusterCreateSchema,
  tollgatePermissions,
} from '@tollgate/plugin-tollgate-common';
import { createRouter } from './router';
import { AgentService } from './services/AgentService';
import { AuditService } from './services/AuditService';
import { ClusterService } from './services/ClusterService';
import { IngestService } from './services/IngestService';
import { InventoryService } from './services/InventoryService';
import { TollgateStores } from './stores/TollgateStores';

const DEFAULT_TOKEN_GRACE_MINUTES = 60;

/** The Tollgate backend plugin, mounted at `/api/tollgate`. */
export const tollgatePlugin = createBackendPlugin({
  pluginId: 'tollgate',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const { config, database, httpRouter, logger } = deps;
        deps.permissionsRegistry.addPermissions(tollgatePermissions);

        const stores = await TollgateStores.create(database);
        const audit = new AuditService();
        const clusters = new ClusterService(stores, audit);
        const graceMinutes =
          config.getOptionalNumber(
            'tollgate.agent.previousTokenGraceMinutes',
          ) ?? DEFAULT_TOKEN_GRACE_MINUTES;
        const agents = new AgentService(stores, audit, {
          previousTokenGraceMs: graceMinutes * 60_000,
        });

        const declared = (
          config.getOptional<unknown[]>('tollgate.clusters') ?? []
        ).map(entry => clusterCreateSchema.parse(entry));
        const registered = await clusters.registerDeclared(declared, {
          actor: 'config:tollgate.clusters',
          requestId: 'startup',
        });
        for (const cluster of registered) {
          logger.info(
            `Registered cluster '${cluster.name}' from configuration`,
          );
        }

        httpRouter.use(
          await createRouter({
            auth: deps.auth,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            clusters,
            agents,
            inventory: new InventoryService(stores),
            ingest: new IngestService(stores),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Agents authenticate with their cluster's token, checked by IngestService.
        httpRouter.addAuthPolicy({
          path: '/v1/agent',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
