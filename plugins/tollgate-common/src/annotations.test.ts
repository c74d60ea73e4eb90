import {
  ENVIRONMENTS_ANNOTATION,
  findEnvironment,
  gitOpsPathFor,
  hasTollgateAnnotations,
  parseTollgateAnnotations,
  TollgateAnnotationError,
} from './annotations';

const complete = {
  'backstage.io/kubernetes-id': 'checkout-api',
  'tollgate.io/environments':
    'staging=demo-staging/shop, production = demo-production/shop',
  'tollgate.io/gitops-repo': 'https://github.com/acme/gitops.git',
  'tollgate.io/gitops-path': 'apps/checkout-api/overlays/{env}',
};

function problemsOf(annotations: Record<string, string>): string[] {
  try {
    parseTollgateAnnotations('checkout-api', annotations);
  } catch (error) {
    expect(error).toBeInstanceOf(TollgateAnnotationError);
    expect((error as Error).name).toBe('InputError');
    return (error as TollgateAnnotationError).problems;
  }
  throw new Error('expected the annotations to be refused');
}

describe('parseTollgateAnnotations', () => {
  it('reads the workload, environments in promotion order and GitOps folders', () => {
    const parsed = parseTollgateAnnotations('checkout', complete);
    expect(parsed).toEqual({
      workload: { name: 'checkout-api' },
      environments: [
        { name: 'staging', cluster: 'demo-staging', namespace: 'shop' },
        { name: 'production', cluster: 'demo-production', namespace: 'shop' },
      ],
      gitops: {
        repo: 'https://github.com/acme/gitops.git',
        pathTemplate: 'apps/checkout-api/overlays/{env}',
        branch: 'main',
      },
    });
    expect(gitOpsPathFor(parsed.gitops!, 'production')).toBe(
      'apps/checkout-api/overlays/production',
    );
    expect(findEnvironment(parsed, 'production').cluster).toBe(
      'demo-production',
    );
  });

  it('uses the label selector when given, and the entity name without an id', () => {
    const parsed = parseTollgateAnnotations('checkout', {
      'backstage.io/kubernetes-label-selector': 'app in (checkout),tier=web',
      'tollgate.io/gitops-branch': 'release',
      'tollgate.io/gitops-repo': '/srv/gitops',
      'tollgate.io/gitops-path': 'checkout/{env}',
    });
    expect(parsed.workload).toEqual({
      name: 'checkout',
      labelSelector: 'app in (checkout),tier=web',
    });
    expect(parsed.environments).toEqual([]);
    expect(parsed.gitops?.branch).toBe('release');
  });

  it('says which annotation to add when the workload is not named', () => {
    expect(problemsOf({})).toEqual([
      expect.stringContaining('Add the backstage.io/kubernetes-id annotation'),
    ]);
    expect(hasTollgateAnnotations({})).toBe(false);
    expect(hasTollgateAnnotations(complete)).toBe(true);
  });

  it('explains every malformed entry at once', () => {
    const problems = problemsOf({
      'backstage.io/kubernetes-label-selector': 'app in (a',
      'tollgate.io/environments':
        'staging=demo-staging, prod=c/Shop_NS, staging=a/b, staging=x/y',
      'tollgate.io/gitops-path': '../elsewhere/{env}',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^backstage.io\/kubernetes-label-selector: Invalid/,
      ),
      expect.stringContaining(
        "'staging=demo-staging' must look like <environment>=<cluster>/<namespace>",
      ),
      expect.stringContaining("namespace 'Shop_NS'"),
      expect.stringContaining("declares environment 'staging' twice"),
      expect.stringContaining('tollgate.io/gitops-path is set without'),
    ]);
  });

  it('lists the declared environments for an unknown one', () => {
    const parsed = parseTollgateAnnotations('checkout', complete);
    expect(() => findEnvironment(parsed, 'qa')).toThrow(
      "Environment 'qa' is not declared in tollgate.io/environments; declared: staging, production",
    );
    const bare = parseTollgateAnnotations('checkout', {
      'backstage.io/kubernetes-id': 'checkout',
    });
    expect(() => findEnvironment(bare, 'qa')).toThrow(
      `add the ${ENVIRONMENTS_ANNOTATION} annotation`,
    );
  });

  it('refuses a GitOps path outside the repository', () => {
    expect(
      problemsOf({
        ...complete,
        'tollgate.io/gitops-path': 'apps/../../{env}',
      }),
    ).toEqual([expect.stringContaining("without '..'")]);
  });
});
