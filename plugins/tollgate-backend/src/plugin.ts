import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  type LoggerService,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterCreateSchema } from '@tollgate/plugin-tollgate-common';
import { ExplanationService, LlmClient, llmConfigFrom } from './explainer';
import { GitManifestReader } from './gitops';
import type { GitManifestSource } from './gitops/types';
import { registerTollgatePermissions } from './permissions/resources';
import {
  createPullRequestService,
  pollIntervalFromConfig,
  schedulePullRequestPoll,
  WEBHOOK_PATH,
  webhookSecretsFromConfig,
} from './pullRequests';
import { createRouter } from './router';
import { AgentService } from './services/AgentService';
import { ApprovalPolicies } from './services/ApprovalPolicy';
import { ApprovalService } from './services/ApprovalService';
import { AuditLogService } from './services/AuditLogService';
import { AuditService, INTERNAL_SOURCE } from './services/AuditService';
import { ClusterService } from './services/ClusterService';
import { FleetService } from './services/FleetService';
import { IngestService } from './services/IngestService';
import { InventoryService } from './services/InventoryService';
import { previewOptionsFromConfig } from './services/previewConfig';
import { PreviewFreshness } from './services/PreviewFreshness';
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
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
      },
      async init(deps) {
        const { config, database, httpRouter, logger } = deps;
        const stores = await TollgateStores.create(database);
        registerTollgatePermissions(deps.permissionsRegistry, stores);
        const audit = new AuditService(() => new Date(), deps.auditor);
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
          sourceIp: INTERNAL_SOURCE,
        });
        for (const cluster of registered) {
          logger.info(
            `Registered cluster '${cluster.name}' from configuration`,
          );
        }

        const git = GitManifestReader.create({
          cacheDir: gitCacheDir(config),
          logger: logger.child({ component: 'gitops' }),
        });
        const promotions = createPromotionService({
          stores,
          audit,
          catalog: deps.catalog,
          config,
          logger,
          git,
        });
        const pullRequests = createPullRequestService({
          config,
          stores,
          audit,
          auth: deps.auth,
          catalog: deps.catalog,
          promotions,
          git,
        });
        const approvals = new ApprovalService({
          stores,
          audit,
          auth: deps.auth,
          userInfo: deps.userInfo,
          promotions,
          policies: ApprovalPolicies.fromConfig(config),
          freshness: new PreviewFreshness(stores, git, allowedGitRepos(config)),
          opener: pullRequests,
        });
        pullRequests.connect(approvals);
        await schedulePullRequestPoll({
          scheduler: deps.scheduler,
          logger,
          pullRequests,
          intervalMinutes: pollIntervalFromConfig(config),
        });

        httpRouter.use(
          await createRouter({
            auth: deps.auth,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            permissionsRegistry: deps.permissionsRegistry,
            clusters,
            agents,
            inventory: new InventoryService(stores),
            ingest: new IngestService(stores),
            promotions,
            approvals,
            pullRequests,
            webhookSecrets: webhookSecretsFromConfig(config),
            auditLog: new AuditLogService(stores),
            fleet: new FleetService(stores.fleet, {
              priceBook: previewOptionsFromConfig(config).priceBook,
              onRefreshError: error =>
                logger.warn(`Fleet summary refresh failed: ${error}`),
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Git hosts sign their webhook deliveries; the routes check the signature.
        httpRouter.addAuthPolicy({
          path: WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
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
  git: GitManifestSource;
}): PromotionService {
  const { stores, config, logger } = deps;
  return new PromotionService({
    stores,
    audit: deps.audit,
    catalog: deps.catalog,
    explainer: createExplainer(stores, config, logger),
    previewOptions: previewOptionsFromConfig(config),
    git: deps.git,
    allowedGitRepos: allowedGitRepos(config),
    gitOpsLocalRoot: config.getOptionalString('tollgate.gitops.localRoot'),
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

/** Repositories a preview may name besides the entity's own. */
function allowedGitRepos(config: RootConfigService): string[] {
  return config.getOptionalStringArray('tollgate.gitops.allowedRepos') ?? [];
}

/** Where bare mirrors of GitOps repositories are kept. */
function gitCacheDir(config: RootConfigService): string {
  return (
    config.getOptionalString('tollgate.gitops.cacheDir') ??
    join(tmpdir(), 'tollgate-gitops')
  );
}
