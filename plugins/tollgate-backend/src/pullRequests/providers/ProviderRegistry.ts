import type { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { redactUrl } from '../../gitops/redact';
import { BitbucketProvider } from './BitbucketProvider';
import { GitProvider } from './GitProvider';
import { GithubProvider } from './GithubProvider';
import { GitlabProvider } from './GitlabProvider';
import type { ProviderName, PullRequestProvider } from './types';

/** Picks the provider of a repository. */
export class ProviderRegistry {
  private readonly byName: Map<ProviderName, PullRequestProvider>;

  constructor(
    providers: PullRequestProvider[],
    private readonly detect: (repo: string) => ProviderName = () => 'git',
  ) {
    this.byName = new Map(providers.map(provider => [provider.name, provider]));
  }

  /** Providers over Backstage's `integrations` config; git for anything else. */
  static fromConfig(
    config: RootConfigService,
    workRoot?: string,
  ): ProviderRegistry {
    const integrations = ScmIntegrations.fromConfig(config);
    const github =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    const integrationOf = <T>(
      group: { byUrl(url: string): T | undefined },
      repo: string,
    ): T => {
      const found = group.byUrl(repo);
      if (!found) {
        throw new InputError(
          `No integration in app-config for ${redactUrl(repo)}`,
        );
      }
      return found;
    };
    return new ProviderRegistry(
      [
        new GitProvider(workRoot),
        new GithubProvider(async repo => {
          const { token } = await github.getCredentials({ url: repo });
          if (!token) {
            throw new InputError(
              `No GitHub token for ${redactUrl(repo)} in integrations.github`,
            );
          }
          const { apiBaseUrl } = integrationOf(
            integrations.github,
            repo,
          ).config;
          return { token, apiBaseUrl: apiBaseUrl ?? 'https://api.github.com' };
        }),
        new GitlabProvider(async repo => {
          const { token, apiBaseUrl } = integrationOf(
            integrations.gitlab,
            repo,
          ).config;
          if (!token) {
            throw new InputError(
              `No GitLab token for ${redactUrl(repo)} in integrations.gitlab`,
            );
          }
          return { token, apiBaseUrl };
        }),
        new BitbucketProvider(async repo => {
          const cloud = integrationOf(integrations.bitbucketCloud, repo).config;
          return {
            apiBaseUrl: cloud.apiBaseUrl,
            token: cloud.token,
            username: cloud.username,
            appPassword: cloud.appPassword,
          };
        }),
      ],
      repo => detectProvider(integrations, repo),
    );
  }

  /** The named provider, or the one the repository's host implies. */
  for(repo: string, name?: ProviderName): PullRequestProvider {
    const provider = this.byName.get(name ?? this.detect(repo));
    if (!provider) throw new InputError(`No pull request provider '${name}'`);
    return provider;
  }

  get(name: string): PullRequestProvider | undefined {
    return this.byName.get(name as ProviderName);
  }
}

function detectProvider(
  integrations: ScmIntegrations,
  repo: string,
): ProviderName {
  if (!/^https?:\/\//i.test(repo)) return 'git';
  const type = integrations.byUrl(repo)?.type;
  if (type === 'github') return 'github';
  if (type === 'gitlab') return 'gitlab';
  if (type === 'bitbucketCloud') return 'bitbucket';
  return 'git';
}
