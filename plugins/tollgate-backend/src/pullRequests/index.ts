import type {
  AuthService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { PromotionPreview } from '@tollgate/plugin-tollgate-common';
import type { GitManifestSource } from '../gitops/types';
import type { AuditService } from '../services/AuditService';
import type { EntityCatalog } from '../services/PromotionSubjects';
import type { TollgateStores } from '../stores/TollgateStores';
import { GitOpsTargets } from './GitOpsTargets';
import { ProviderRegistry } from './providers/ProviderRegistry';
import { PullRequestService } from './PullRequestService';
import type { WebhookSecrets } from './routes';

export { PullRequestService } from './PullRequestService';
export { schedulePullRequestPoll } from './PullRequestTracker';
export {
  pullRequestRoutes,
  pullRequestWebhookRoutes,
  WEBHOOK_PATH,
  type WebhookSecrets,
} from './routes';
export type * from './types';

const DEFAULT_POLL_MINUTES = 2;

/** The pull-request service from `tollgate.pullRequests`, `tollgate.gitops` and `integrations`. */
export function createPullRequestService(deps: {
  config: RootConfigService;
  stores: TollgateStores;
  audit: AuditService;
  auth: AuthService;
  catalog: EntityCatalog;
  promotions: { get(id: string): Promise<PromotionPreview> };
  git: GitManifestSource;
}): PullRequestService {
  const { config } = deps;
  const workRoot = config.getOptionalString('tollgate.pullRequests.workDir');
  return new PullRequestService({
    stores: deps.stores,
    audit: deps.audit,
    promotions: deps.promotions,
    targets: GitOpsTargets.fromConfig(config, deps.catalog, deps.auth),
    providers: ProviderRegistry.fromConfig(config, workRoot),
    manifests: deps.git,
    appBaseUrl:
      config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000',
    author: {
      name:
        config.getOptionalString('tollgate.pullRequests.author.name') ??
        'Tollgate',
      email:
        config.getOptionalString('tollgate.pullRequests.author.email') ??
        'tollgate@localhost',
    },
    workRoot,
  });
}

/** `tollgate.pullRequests.webhooks`: the secrets hosts sign deliveries with. */
export function webhookSecretsFromConfig(
  config: RootConfigService,
): WebhookSecrets {
  return {
    github: config.getOptionalString(
      'tollgate.pullRequests.webhooks.githubSecret',
    ),
    gitlab: config.getOptionalString(
      'tollgate.pullRequests.webhooks.gitlabToken',
    ),
  };
}

/** Minutes between polls of open pull requests. Default 2. */
export function pollIntervalFromConfig(config: RootConfigService): number {
  return (
    config.getOptionalNumber('tollgate.pullRequests.pollIntervalMinutes') ??
    DEFAULT_POLL_MINUTES
  );
}
