import type {
  AuthService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  gitOpsPathFor,
  parseTollgateAnnotations,
  GITOPS_REPO_ANNOTATION,
  type GitOpsLocation,
  type PromotionListItem,
} from '@tollgate/plugin-tollgate-common';
import { resolveGitOpsRepo } from '../gitops/validation';
import type { EntityCatalog } from '../services/PromotionSubjects';
import type { HelmValuesOptions } from './change';
import type { ProviderName } from './providers/types';
import type { GitOpsTarget } from './types';

/** `tollgate.gitops.environments.<env>` in app-config. */
export interface EnvironmentSettings {
  layout?: GitOpsTarget['layout'];
  provider?: ProviderName;
  helm: Partial<HelmValuesOptions>;
}

/** Where a promotion's change goes and how to read its source. */
export interface PromotionTarget {
  target: GitOpsTarget;
  /** The source environment's folder, when the source is an environment. */
  sourcePath?: string;
  provider?: ProviderName;
  helm: Partial<HelmValuesOptions>;
}

const LAYOUTS = ['plain', 'kustomize', 'helm-values'] as const;
const PROVIDERS = ['git', 'github', 'gitlab', 'bitbucket'] as const;

/**
 * The GitOps target of a promotion: repository, branch and folder from the
 * entity's annotations, layout and provider from app-config (the layout is
 * detected when not configured). A repository given as a relative path is
 * resolved against `tollgate.gitops.localRoot` (the demo's repository on
 * disk), and refused when that is not configured.
 */
export class GitOpsTargets {
  constructor(
    private readonly catalog: EntityCatalog,
    private readonly auth: AuthService,
    private readonly environments: Map<string, EnvironmentSettings>,
    private readonly localRoot?: string,
  ) {}

  static fromConfig(
    config: RootConfigService,
    catalog: EntityCatalog,
    auth: AuthService,
  ): GitOpsTargets {
    const section = config.getOptionalConfig('tollgate.gitops.environments');
    const environments = new Map<string, EnvironmentSettings>();
    for (const name of section?.keys() ?? []) {
      const env = section!.getConfig(name);
      environments.set(name, {
        layout: oneOf(
          env.getOptionalString('layout'),
          LAYOUTS,
          `${name}.layout`,
        ),
        provider: oneOf(
          env.getOptionalString('provider'),
          PROVIDERS,
          `${name}.provider`,
        ),
        helm: withoutUndefined({
          valuesFile: env.getOptionalString('valuesFile'),
          imageRepositoryPath: env.getOptionalString('imageRepositoryPath'),
          imageTagPath: env.getOptionalString('imageTagPath'),
          replicasPath: env.getOptionalString('replicasPath'),
          resourcesPath: env.getOptionalString('resourcesPath'),
        }),
      });
    }
    const localRoot = config.getOptionalString('tollgate.gitops.localRoot');
    return new GitOpsTargets(catalog, auth, environments, localRoot);
  }

  async forPromotion(promotion: PromotionListItem): Promise<PromotionTarget> {
    const environment = promotion.target.environment;
    if (!environment) {
      throw new InputError(
        `Promotion ${promotion.promotion_id} has no target environment, so it has no GitOps folder to change`,
      );
    }
    const gitops = await this.gitOpsOf(promotion);
    const settings = this.environments.get(environment);
    const sourceEnvironment = promotion.source.environment;
    return {
      target: {
        repo: resolveGitOpsRepo(gitops.repo, this.localRoot),
        branch: gitops.branch,
        path: gitOpsPathFor(gitops, environment),
        // Without configuration, a folder with a kustomization is an overlay.
        layout: settings?.layout ?? 'plain',
      },
      ...(sourceEnvironment
        ? { sourcePath: gitOpsPathFor(gitops, sourceEnvironment) }
        : {}),
      ...(settings?.provider ? { provider: settings.provider } : {}),
      helm: settings?.helm ?? {},
    };
  }

  private async gitOpsOf(
    promotion: PromotionListItem,
  ): Promise<GitOpsLocation> {
    if (!promotion.entity_ref) {
      throw new InputError(
        `Promotion ${promotion.promotion_id} was previewed without a catalog entity; its GitOps repository is unknown`,
      );
    }
    const entity = await this.catalog.getEntityByRef(promotion.entity_ref, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(`No catalog entity '${promotion.entity_ref}'`);
    }
    const { gitops } = parseTollgateAnnotations(
      entity.metadata.name,
      entity.metadata.annotations,
    );
    if (!gitops) {
      throw new InputError(
        `Entity '${promotion.entity_ref}' has no ${GITOPS_REPO_ANNOTATION} annotation: there is no repository to open the pull request in`,
      );
    }
    return gitops;
  }
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  key: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new InputError(
      `tollgate.gitops.environments.${key} must be one of ${allowed.join(
        ', ',
      )}`,
    );
  }
  return value as T;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
