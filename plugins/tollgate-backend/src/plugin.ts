import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  type LoggerService,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  clusterCreateSchema,
  tollgatePermissions,
} from '@tollgate/plugin-tollgate-common';
import { ExplanationService, LlmClient, llmConfigFrom } from './explainer';
import { GitManifestReader } from './gitops';
import { createRouter } from './router';
import { AgentService } from './services/AgentService';
import { AuditService } from './services/AuditService';
import { ClusterService } from './services/ClusterService';
import { IngestService } from './services/IngestService';
import { InventoryService } from './services/InventoryService';
import { previewOptionsFromConfig } from './services/previewConfig';
import { PromotionService } from './services/PromotionService';
import type { EntityCatalog } from './services/PromotionSubjects';
import { TollgateStores } from './stores/TollgateStores';

const DEFAULT_TOKEN_GRACE_MINUTES = 60;

/** The Tollgate backend plugin, mounted at `/api/tollgate`. */
export const tollgatePlugin = createBackendPlugin({
  pluginId: 'tollgate',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
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
            promotions: createPromotionService({
              stores,
              audit,
              catalog: deps.catalog,
              config,
              logger,
            }),
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

/** Previews from `tollgate.preview`, `tollgate.explainer` and `tollgate.gitops`. */
function createPromotionService(deps: {
  stores: TollgateStores;
  audit: AuditService;
  catalog: EntityCatalog;
  config: RootConfigService;
  logger: LoggerService;
}): PromotionService {
  const { stores, config, logger } = deps;
  return new PromotionService({
    stores,
    audit: deps.audit,
    catalog: deps.catalog,
    explainer: createExplainer(stores, config, logger),
    previewOptions: previewOptionsFromConfig(config),
    git: GitManifestReader.create({
      cacheDir: gitCacheDir(config),
      logger: logger.child({ component: 'gitops' }),
    }),
    allowedGitRepos:
      config.getOptionalStringArray('tollgate.gitops.allowedRepos') ?? [],
  });
}

/** Deterministic explanations, or an LLM's when `tollgate.explainer.llm` is set. */
function createExplainer(
  stores: TollgateStores,
  config: RootConfigService,
  logger: LoggerService,
): ExplanationService {
  const llm = llmConfigFrom(config);
  if (llm) {
    logger.info(`Preview explanations use the LLM model ${llm.model}`);
  }
  return new ExplanationService(stores, llm && new LlmClient(llm), logger);
}

/** Where bare mirrors of GitOps repositories are kept. */
function gitCacheDir(config: RootConfigService): string {
  return (
    config.getOptionalString('tollgate.gitops.cacheDir') ??
    join(tmpdir(), 'tollgate-gitops')
  );
}
