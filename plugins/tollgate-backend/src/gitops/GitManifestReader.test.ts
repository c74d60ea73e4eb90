import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { GitManifestReader } from './GitManifestReader';
import { TestGitRepo } from './__testUtils__/gitRepos';

const FIXTURE_APPS = join(__dirname, '__fixtures__', 'gitops', 'apps');

function deployment(replicas: number, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: web
          image: ${image}
`;
}

const PLAIN_FILES = {
  'clusters/staging/README.md': '# not a manifest\n',
  'clusters/staging/values.yaml': 'replicaCount: 2\nimage: { tag: latest }\n',
  'clusters/staging/config.json':
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "shop"}, "data": {"x": "1"}}',
  'clusters/staging/extra/list.yml': `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: { name: web, namespace: shop }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: a, namespace: shop }
`,
};

const SERVICE = `---
# only a comment
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports: [{ port: 80 }]
---
`;

/** A base with staging and production overlays using the kustomize features previews meet most. */
const FEATURE_LAYOUT = {
  'features/base/kustomization.yaml': `resources:
  - deployment.yaml
configMapGenerator:
  - name: web-config
    literals:
      - MODE=base
`,
  'features/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
          args: [--port=8080, --verbose]
          envFrom:
            - configMapRef: { name: web-config }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
`,
  'features/overlays/staging/kustomization.yaml': `resources: [../../base]
namespace: web-staging
images:
  - name: ghcr.io/acme/web
    newTag: 1.1.0
`,
  'features/overlays/production/kustomization.yaml': `resources:
  - ../../base
namespace: web-prod
namePrefix: prod-
commonLabels:
  env: production
images:
  - name: ghcr.io/acme/web
    newTag: 1.0.1
replicas:
  - name: web
    count: 5
patchesStrategicMerge:
  - resources.yaml
patchesJson6902:
  - target: { group: apps, version: v1, kind: Deployment, name: web }
    path: drop-verbose.yaml
configMapGenerator:
  - name: web-config
    behavior: merge
    literals:
      - MODE=production
`,
  'features/overlays/production/resources.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          resources:
            requests: { cpu: "2", memory: 4Gi }
            limits: { memory: 4Gi }
`,
  'features/overlays/production/drop-verbose.yaml': `- op: remove
  path: /spec/template/spec/containers/0/args/1
`,
};

const BROKEN_LAYOUTS = {
  'broken/plain/ok.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n',
  'broken/plain/bad.yaml':
    'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: { name: bad }\n',
  'broken/remote/kustomization.yaml':
    'resources:\n  - https://github.com/acme/platform//base?ref=v1\n',
  'broken/cycle-a/kustomization.yaml': 'resources: [../cycle-b]\n',
  'broken/cycle-b/kustomization.yaml': 'resources: [../cycle-a]\n',
};

function kustomizeSuffix(encoded: string): string {
  const hex = createHash('sha256').update(encoded).digest('hex').slice(0, 10);
  return hex.replace(
    /[013ae]/g,
    c => ({ 0: 'g', 1: 'h', 3: 'k', a: 'm', e: 't' }[c]!),
  );
}

function named(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.filter(o => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('GitManifestReader', () => {
  let repo: TestGitRepo;
  let reader: GitManifestReader;
  let v1Commit: string;
  let mainCommit: string;
  let stagingCommit: string;

  beforeAll(async () => {
    repo = await TestGitRepo.create();
    await repo.write({
      ...PLAIN_FILES,
      'clusters/staging/web.yaml': `${deployment(
        2,
        'ghcr.io/acme/web:1.0.0',
      )}${SERVICE}`,
      ...FEATURE_LAYOUT,
      ...BROKEN_LAYOUTS,
    });
    await repo.copyFolder(FIXTURE_APPS, 'apps');
    v1Commit = await repo.commit('initial layout');
    await repo.tag('v1.0.0');
    await repo.write({
      'clusters/staging/web.yaml': `${deployment(
        3,
        'ghcr.io/acme/web:1.1.0',
      )}${SERVICE}`,
    });
    mainCommit = await repo.commit('web 1.1.0');
    await repo.branch('staging');
    await repo.write({
      'clusters/staging/web.yaml': deployment(4, 'ghcr.io/acme/web:1.2.0'),
    });
    stagingCommit = await repo.commit('web 1.2.0, no service');
    await repo.checkout('main');
    reader = GitManifestReader.create({ cacheDir: repo.cacheDir() });
  });

  afterAll(() => repo.remove());

  describe('plain folders', () => {
    const serviceObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ports: [{ port: 80 }] },
    };
    const otherObjects = {
      serviceAccount: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'web', namespace: 'shop' },
      },
      configMapA: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'shop' },
      },
      configMapB: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'b', namespace: 'shop' },
        data: { x: '1' },
      },
    };
    function deploymentObject(replicas: number, image: string) {
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          replicas,
          template: { spec: { containers: [{ name: 'web', image }] } },
        },
      };
    }

    it('reads every manifest under the folder at a branch, in a stable order', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'main',
        path: 'clusters/staging',
      });

      expect(manifests).toEqual({
        commit: mainCommit,
        layout: 'plain',
        files: [
          'clusters/staging/config.json',
          'clusters/staging/extra/list.yml',
          'clusters/staging/web.yaml',
        ],
        warnings: [],
        objects: [
          otherObjects.serviceAccount,
          otherObjects.configMapA,
          otherObjects.configMapB,
          serviceObject,
          deploymentObject(3, 'ghcr.io/acme/web:1.1.0'),
        ],
      });
    });

    it('reads the folder as it was at a tag', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'v1.0.0',
        path: '/clusters/staging/',
      });
      expect(manifests.commit).toBe(v1Commit);
      expect(manifests.objects[4]).toEqual(
        deploymentObject(2, 'ghcr.io/acme/web:1.0.0'),
      );
    });

    it('reads the folder at a commit SHA', async () => {
      const manifests = await reader.read({
        repo: `file://${repo.originDir}`,
        ref: stagingCommit,
        path: 'clusters/staging',
      });
      expect(manifests.commit).toBe(stagingCommit);
      expect(manifests.objects.map(o => o.kind)).toEqual([
        'ServiceAccount',
        'ConfigMap',
        'ConfigMap',
        'Deployment',
      ]);
      expect(manifests.objects[3]).toEqual(
        deploymentObject(4, 'ghcr.io/acme/web:1.2.0'),
      );
    });

    it('reads a single file when the path names one', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'main',
        path: 'clusters/staging/extra/list.yml',
      });
      expect(manifests).toEqual({
        commit: mainCommit,
        layout: 'plain',
        files: ['clusters/staging/extra/list.yml'],
        warnings: [],
        objects: [otherObjects.serviceAccount, otherObjects.configMapA],
      });
    });
  });

  describe('kustomize overlays', () => {
    it('renders the demo staging overlay', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'main',
        path: 'apps/checkout-api/overlays/staging',
      });

      // The hash of {"data":{"CART_TTL_SECONDS":"900","CURRENCY":"EUR"},"kind":"ConfigMap","name":"checkout-settings"}
      const settings = `checkout-settings-${kustomizeSuffix(
        '{"data":{"CART_TTL_SECONDS":"900","CURRENCY":"EUR"},"kind":"ConfigMap","name":"checkout-settings"}',
      )}`;
      expect(settings).toBe('checkout-settings-7294bgk5g9');
      const labels = {
        'app.kubernetes.io/name': 'checkout-api',
        'app.kubernetes.io/part-of': 'checkout',
        'app.kubernetes.io/environment': 'staging',
      };
      const metadata = { name: 'checkout-api', namespace: 'shop', labels };
      expect(manifests.layout).toBe('kustomize');
      expect(manifests.commit).toBe(mainCommit);
      expect(manifests.warnings).toEqual([]);
      expect(manifests.files).toEqual([
        'apps/checkout-api/base/deployment.yaml',
        'apps/checkout-api/base/hpa.yaml',
        'apps/checkout-api/base/kustomization.yaml',
        'apps/checkout-api/base/pdb.yaml',
        'apps/checkout-api/base/service.yaml',
        'apps/checkout-api/base/serviceaccount.yaml',
        'apps/checkout-api/base/settings.env',
        'apps/checkout-api/overlays/staging/feature-flags.yaml',
        'apps/checkout-api/overlays/staging/kustomization.yaml',
      ]);
      expect(manifests.objects).toEqual([
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: settings,
            namespace: 'shop',
            labels: {
              'app.kubernetes.io/part-of': 'checkout',
              'app.kubernetes.io/environment': 'staging',
            },
          },
          data: { CART_TTL_SECONDS: '900', CURRENCY: 'EUR' },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata,
          spec: {
            type: 'LoadBalancer',
            selector: { 'app.kubernetes.io/name': 'checkout-api' },
            ports: [{ name: 'http', port: 80, targetPort: 'http' }],
          },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata,
          spec: {
            replicas: 2,
            selector: {
              matchLabels: { 'app.kubernetes.io/name': 'checkout-api' },
            },
            strategy: {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
            },
            template: {
              metadata: {
                labels: {
                  'app.kubernetes.io/name': 'checkout-api',
                  'app.kubernetes.io/environment': 'staging',
                },
              },
              spec: {
                serviceAccountName: 'checkout-api',
                securityContext: {
                  runAsNonRoot: true,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'api',
                    image: 'ghcr.io/acme/checkout-api:2.4.0',
                    ports: [{ name: 'http', containerPort: 8080 }],
                    env: [
                      { name: 'LOG_LEVEL', value: 'info' },
                      {
                        name: 'PAYMENTS_URL',
                        value: 'http://payments.payments.svc:8080',
                      },
                      {
                        name: 'DATABASE_PASSWORD',
                        valueFrom: {
                          secretKeyRef: {
                            name: 'checkout-db',
                            key: 'password',
                          },
                        },
                      },
                      { name: 'FEATURE_ONE_CLICK', value: 'true' },
                    ],
                    envFrom: [{ configMapRef: { name: settings } }],
                    resources: {
                      requests: { cpu: '500m', memory: '768Mi' },
                      limits: { memory: '1Gi' },
                    },
                    readinessProbe: {
                      httpGet: { path: '/ready', port: 'http' },
                      periodSeconds: 5,
                    },
                    livenessProbe: {
                      httpGet: { path: '/live', port: 'http' },
                      periodSeconds: 10,
                    },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                  },
                ],
              },
            },
          },
        },
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata,
          spec: {
            minAvailable: 1,
            selector: {
              matchLabels: { 'app.kubernetes.io/name': 'checkout-api' },
            },
          },
        },
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata,
          spec: {
            scaleTargetRef: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'checkout-api',
            },
            minReplicas: 2,
            maxReplicas: 4,
            metrics: [
              {
                type: 'Resource',
                resource: {
                  name: 'cpu',
                  target: { type: 'Utilization', averageUtilization: 70 },
                },
              },
            ],
          },
        },
      ]);
    });

    it('renders the demo production overlay with its own tag, replicas, resources, HPA and PDB', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'main',
        path: 'apps/checkout-api/overlays/production',
      });

      const workload = named(manifests.objects, 'Deployment') as any;
      const container = workload.spec.template.spec.containers[0];
      expect(workload.metadata).toEqual({
        name: 'checkout-api',
        namespace: 'shop',
        labels: {
          'app.kubernetes.io/name': 'checkout-api',
          'app.kubernetes.io/part-of': 'checkout',
          'app.kubernetes.io/environment': 'production',
        },
      });
      expect(workload.spec.replicas).toBe(3);
      expect(container.image).toBe('ghcr.io/acme/checkout-api:2.3.1');
      expect(container.resources).toEqual({
        requests: { cpu: '1', memory: '1536Mi' },
        limits: { memory: '2Gi' },
      });
      expect(container.env.map((e: { name: string }) => e.name)).toEqual([
        'LOG_LEVEL',
        'PAYMENTS_URL',
        'DATABASE_PASSWORD',
        'LEGACY_CART',
      ]);
      expect(container.envFrom).toEqual([
        { configMapRef: { name: 'checkout-settings-7294bgk5g9' } },
      ]);
      expect(
        named(manifests.objects, 'HorizontalPodAutoscaler').spec,
      ).toMatchObject({
        minReplicas: 3,
        maxReplicas: 10,
      });
      expect(named(manifests.objects, 'PodDisruptionBudget').spec).toEqual({
        minAvailable: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout-api' } },
      });
      expect(manifests.files).toContain(
        'apps/checkout-api/overlays/production/pdb-min-available.json',
      );
    });

    it('renders prefix, labels, patches and generated names in an overlay', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'v1.0.0',
        path: 'features/overlays/production',
      });

      const configName = `prod-web-config-${kustomizeSuffix(
        '{"data":{"MODE":"production"},"kind":"ConfigMap","name":"prod-web-config"}',
      )}`;
      expect(manifests.objects).toEqual([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: configName,
            namespace: 'web-prod',
            labels: { env: 'production' },
          },
          data: { MODE: 'production' },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: 'prod-web',
            namespace: 'web-prod',
            labels: { app: 'web', env: 'production' },
          },
          spec: {
            replicas: 5,
            selector: { matchLabels: { app: 'web', env: 'production' } },
            template: {
              metadata: { labels: { app: 'web', env: 'production' } },
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'ghcr.io/acme/web:1.0.1',
                    args: ['--port=8080'],
                    envFrom: [{ configMapRef: { name: configName } }],
                    resources: {
                      requests: { cpu: '2', memory: '4Gi' },
                      limits: { memory: '4Gi' },
                    },
                  },
                ],
              },
            },
          },
        },
      ]);
      expect(manifests.files).toEqual([
        'features/base/deployment.yaml',
        'features/base/kustomization.yaml',
        'features/overlays/production/drop-verbose.yaml',
        'features/overlays/production/kustomization.yaml',
        'features/overlays/production/resources.yaml',
      ]);
    });

    it('gives the staging side of the same base its own names', async () => {
      const manifests = await reader.read({
        repo: repo.originDir,
        ref: 'main',
        path: 'features/overlays/staging',
      });
      const configName = `web-config-${kustomizeSuffix(
        '{"data":{"MODE":"base"},"kind":"ConfigMap","name":"web-config"}',
      )}`;
      expect(
        manifests.objects.map(
          o => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
        ),
      ).toEqual([
        `ConfigMap web-staging/${configName}`,
        'Deployment web-staging/web',
      ]);
      const container = (manifests.objects[1] as any).spec.template.spec
        .containers[0];
      expect(container.image).toBe('ghcr.io/acme/web:1.1.0');
      expect(container.envFrom).toEqual([
        { configMapRef: { name: configName } },
      ]);
    });
  });

  describe('errors', () => {
    async function readError(
      ref: string,
      path: string,
      repoUrl = repo.originDir,
    ) {
      return reader.read({ repo: repoUrl, ref, path }).catch(e => e);
    }

    it('rejects a bad ref before running git', async () => {
      const error = await readError('--output=/tmp/x', 'clusters/staging');
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'Invalid Git ref "--output=/tmp/x": it must not start with "-"',
      );
    });

    it('reports an unknown ref as not found', async () => {
      const error = await readError('no-such-branch', 'clusters/staging');
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        `Git ref "no-such-branch" was not found in ${repo.originDir}`,
      );
    });

    it('reports a missing path with the ref and commit', async () => {
      const error = await readError('main', 'clusters/qa');
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        `Path "clusters/qa" does not exist at main (${mainCommit}) in ${repo.originDir}`,
      );
    });

    it('rejects a path that climbs out of the repository', async () => {
      const error = await readError('main', 'clusters/../../etc');
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'Invalid path "clusters/../../etc": ".." is not allowed',
      );
    });

    it('names the file and line of a YAML syntax error', async () => {
      const error = await readError('main', 'broken/plain');
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'broken/plain/bad.yaml: YAML syntax error at line 3, column 1: Map keys must be unique',
      );
    });

    it('rejects remote kustomize resources', async () => {
      const error = await readError('main', 'broken/remote');
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'broken/remote/kustomization.yaml: remote kustomize resources are not supported: https://github.com/acme/platform//base?ref=v1',
      );
    });

    it('rejects a cycle between kustomizations', async () => {
      const error = await readError('main', 'broken/cycle-a');
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'kustomization cycle: broken/cycle-a -> broken/cycle-b -> broken/cycle-a',
      );
    });

    it('never leaks credentials of the repository URL', async () => {
      const error = await readError(
        'main',
        'apps',
        'https://x-access-token:ghp_SECRETSECRET@127.0.0.1:1/acme/gitops.git',
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^Could not fetch Git repository https:\/\/127\.0\.0\.1:1\/acme\/gitops\.git: /,
      );
      expect(`${error.message} ${error.stack}`).not.toMatch(
        /ghp_SECRETSECRET|x-access-token/,
      );
    });
  });
});
