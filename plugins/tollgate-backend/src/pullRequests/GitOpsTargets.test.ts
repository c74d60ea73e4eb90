import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { PromotionListItem } from '@tollgate/plugin-tollgate-common';
import { GitOpsTargets } from './GitOpsTargets';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-api',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'checkout-api',
        ...annotations,
      },
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

const promotion = {
  promotion_id: 'p-1',
  entity_ref: 'component:default/checkout-api',
  source: { type: 'cluster', environment: 'staging' },
  target: { type: 'cluster', environment: 'production' },
} as PromotionListItem;

type ConfigData = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig>[0]>['data']
>;

function targets(
  annotations: Record<string, string>,
  tollgate: ConfigData = {},
) {
  return GitOpsTargets.fromConfig(
    mockServices.rootConfig({ data: { tollgate } }),
    catalogServiceMock({ entities: [entity(annotations)] }),
    mockServices.auth(),
  );
}

const gitops = {
  'tollgate.io/gitops-repo': 'https://github.com/acme/gitops',
  'tollgate.io/gitops-path': 'apps/checkout-api/overlays/{env}',
};

describe('GitOpsTargets', () => {
  it('takes repository, branch and folders from the annotations', async () => {
    expect(await targets(gitops).forPromotion(promotion)).toEqual({
      target: {
        repo: 'https://github.com/acme/gitops',
        branch: 'main',
        path: 'apps/checkout-api/overlays/production',
        layout: 'plain',
      },
      sourcePath: 'apps/checkout-api/overlays/staging',
      helm: {},
    });
  });

  it('takes layout, provider and Helm paths per environment from app-config', async () => {
    const target = await targets(
      { ...gitops, 'tollgate.io/gitops-branch': 'release' },
      {
        gitops: {
          environments: {
            production: {
              layout: 'helm-values',
              provider: 'github',
              valuesFile: 'values-production.yaml',
              imageTagPath: 'api.image.tag',
            },
          },
        },
      },
    ).forPromotion(promotion);
    expect(target).toMatchObject({
      target: { branch: 'release', layout: 'helm-values' },
      provider: 'github',
      helm: {
        valuesFile: 'values-production.yaml',
        imageTagPath: 'api.image.tag',
      },
    });
  });

  it('resolves a relative repository against tollgate.gitops.localRoot, and only then', async () => {
    const relative = {
      ...gitops,
      'tollgate.io/gitops-repo': '.demo/gitops.git',
    };
    const resolved = await targets(relative, {
      gitops: { localRoot: '/srv/tollgate' },
    }).forPromotion(promotion);
    expect(resolved.target.repo).toBe('/srv/tollgate/.demo/gitops.git');
    await expect(targets(relative).forPromotion(promotion)).rejects.toThrow(
      "tollgate.io/gitops-repo '.demo/gitops.git' is a relative path; set tollgate.gitops.localRoot",
    );
  });

  it('says what is missing', async () => {
    await expect(targets({}).forPromotion(promotion)).rejects.toThrow(
      'has no tollgate.io/gitops-repo annotation',
    );
    await expect(
      targets(gitops).forPromotion({
        ...promotion,
        target: { ...promotion.target, environment: null },
      } as PromotionListItem),
    ).rejects.toThrow('has no target environment');
    expect(() =>
      targets(gitops, {
        gitops: { environments: { production: { layout: 'jsonnet' } } },
      }),
    ).toThrow(
      'tollgate.gitops.environments.production.layout must be one of plain, kustomize, helm-values',
    );
  });
});
