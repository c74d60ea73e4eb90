import { mockServices } from '@backstage/backend-test-utils';
import { ProviderRegistry } from './ProviderRegistry';

describe('ProviderRegistry', () => {
  const registry = ProviderRegistry.fromConfig(
    mockServices.rootConfig({
      data: {
        integrations: {
          github: [{ host: 'github.com', token: 'ghp_x' }],
          gitlab: [
            {
              host: 'gitlab.example.com',
              apiBaseUrl: 'https://gitlab.example.com/api/v4',
              token: 'glpat-x',
            },
          ],
        },
      },
    }),
  );

  it('picks the provider from the repository host in integrations', () => {
    expect(registry.for('https://github.com/acme/gitops').name).toBe('github');
    expect(
      registry.for('https://gitlab.example.com/acme/gitops.git').name,
    ).toBe('gitlab');
    expect(registry.for('https://bitbucket.org/acme/gitops').name).toBe(
      'bitbucket',
    );
    expect(registry.for('https://git.example.com/acme/gitops.git').name).toBe(
      'git',
    );
    expect(registry.for('/srv/git/gitops.git').name).toBe('git');
  });

  it('lets configuration name the provider', () => {
    expect(registry.for('https://github.com/acme/gitops', 'git').name).toBe(
      'git',
    );
  });

  it('pushes to a hosted repository with the integration token', async () => {
    await expect(
      registry
        .for('https://github.com/acme/gitops')
        .remote('https://github.com/acme/gitops.git'),
    ).resolves.toEqual({
      url: 'https://x-access-token:ghp_x@github.com/acme/gitops.git',
      secrets: ['ghp_x'],
    });
    await expect(
      registry
        .for('https://gitlab.example.com/acme/gitops.git')
        .remote('https://gitlab.example.com/acme/gitops.git'),
    ).resolves.toMatchObject({
      url: 'https://oauth2:glpat-x@gitlab.example.com/acme/gitops.git',
    });
  });
});
