import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { memoryFiles } from '../__testUtils__/memoryFiles';
import { KustomizeRenderer } from './KustomizeRenderer';

/** The suffix kustomize derives from the JSON it hashes (written out literally in each test). */
function suffixFor(encoded: string): string {
  const hex = createHash('sha256').update(encoded).digest('hex').slice(0, 10);
  return hex.replace(
    /[013ae]/g,
    c => ({ 0: 'g', 1: 'h', 3: 'k', a: 'm', e: 't' }[c]!),
  );
}

function render(files: Record<string, string | Buffer>, folder: string) {
  return KustomizeRenderer.render(memoryFiles(files), folder);
}

async function renderError(files: Record<string, string>, folder: string) {
  const error = await render(files, folder).catch(e => e);
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
}

function find(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter(o => o.kind === kind);
}

const BASE = {
  'base/kustomization.yaml': `
resources:
  - workload.yaml
  - rbac.yaml
configMapGenerator:
  - name: app-config
    literals:
      - LOG_LEVEL=info
      - GREETING="hello world"
secretGenerator:
  - name: app-secrets
    literals:
      - API_KEY=abc123
`,
  'base/workload.yaml': `
apiVersion: apps/v1
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
      serviceAccountName: web
      containers:
        - name: app
          image: registry.example.com:5000/shop/web:1.0.0
          envFrom:
            - configMapRef: { name: app-config }
            - secretRef: { name: app-secrets }
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: external-db, key: password }
          volumeMounts:
            - { name: data, mountPath: /data }
            - { name: config, mountPath: /etc/web }
      volumes:
        - name: data
          persistentVolumeClaim: { claimName: web-data }
        - name: config
          configMap: { name: app-config }
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: web-data
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: { app: web }
`,
  'base/rbac.yaml': `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: web-reader
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web-reader
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: web-reader }
subjects:
  - { kind: ServiceAccount, name: web }
  - { kind: ServiceAccount, name: outsider, namespace: other }
`,
};

describe('KustomizeRenderer', () => {
  it('renders an overlay: namespace, prefix, labels, annotations, images, replicas and renamed references', async () => {
    const output = await render(
      {
        ...BASE,
        'overlays/prod/kustomization.yaml': `
resources:
  - ../../base
namespace: shop
namePrefix: prod-
commonLabels:
  team: payments
commonAnnotations:
  owner: checkout
images:
  - name: registry.example.com:5000/shop/web
    newName: ghcr.io/acme/web
    digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
replicas:
  - name: web
    count: 4
`,
      },
      'overlays/prod',
    );

    const configSuffix = suffixFor(
      '{"data":{"GREETING":"hello world","LOG_LEVEL":"info"},"kind":"ConfigMap","name":"prod-app-config"}',
    );
    const secretSuffix = suffixFor(
      '{"data":{"API_KEY":"YWJjMTIz"},"kind":"Secret","name":"prod-app-secrets","type":"Opaque"}',
    );
    const labels = { team: 'payments' };
    const annotations = { owner: 'checkout' };
    expect(
      output.objects.map(
        o => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
      ),
    ).toEqual([
      'ServiceAccount/shop/prod-web',
      'Role/shop/prod-web-reader',
      'RoleBinding/shop/prod-web-reader',
      `ConfigMap/shop/prod-app-config-${configSuffix}`,
      `Secret/shop/prod-app-secrets-${secretSuffix}`,
      'Service/shop/prod-web',
      'PersistentVolumeClaim/shop/prod-web-data',
      'Deployment/shop/prod-web',
      'PodDisruptionBudget/shop/prod-web',
      'HorizontalPodAutoscaler/shop/prod-web',
    ]);
    expect(find(output.objects, 'Deployment')[0]).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'prod-web',
        namespace: 'shop',
        labels: { app: 'web', team: 'payments' },
        annotations,
      },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web', team: 'payments' } },
        template: {
          metadata: { labels: { app: 'web', team: 'payments' }, annotations },
          spec: {
            serviceAccountName: 'prod-web',
            containers: [
              {
                name: 'app',
                image:
                  'ghcr.io/acme/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                envFrom: [
                  { configMapRef: { name: `prod-app-config-${configSuffix}` } },
                  { secretRef: { name: `prod-app-secrets-${secretSuffix}` } },
                ],
                env: [
                  {
                    name: 'DB_PASSWORD',
                    valueFrom: {
                      secretKeyRef: { name: 'external-db', key: 'password' },
                    },
                  },
                ],
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'config', mountPath: '/etc/web' },
                ],
              },
            ],
            volumes: [
              {
                name: 'data',
                persistentVolumeClaim: { claimName: 'prod-web-data' },
              },
              {
                name: 'config',
                configMap: { name: `prod-app-config-${configSuffix}` },
              },
            ],
          },
        },
      },
    });
    expect(find(output.objects, 'Secret')[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: `prod-app-secrets-${secretSuffix}`,
        namespace: 'shop',
        labels,
        annotations,
      },
      data: { API_KEY: 'YWJjMTIz' },
    });
    expect(find(output.objects, 'Service')[0].spec).toEqual({
      selector: { app: 'web', team: 'payments' },
      ports: [{ port: 80, targetPort: 8080 }],
    });
    expect(find(output.objects, 'HorizontalPodAutoscaler')[0].spec).toEqual({
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'prod-web',
      },
      minReplicas: 1,
      maxReplicas: 3,
    });
    expect(find(output.objects, 'PodDisruptionBudget')[0].spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { app: 'web', team: 'payments' } },
    });
    const binding = find(output.objects, 'RoleBinding')[0];
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'prod-web-reader',
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'prod-web', namespace: 'shop' },
      { kind: 'ServiceAccount', name: 'outsider', namespace: 'other' },
    ]);
    expect(output.files).toEqual([
      'base/kustomization.yaml',
      'base/rbac.yaml',
      'base/workload.yaml',
      'overlays/prod/kustomization.yaml',
    ]);
    expect(output.warnings).toEqual([]);
  });

  it('appends the hash after nameSuffix and hashes the final name', async () => {
    const output = await render(
      {
        'app/kustomization.yaml': `
nameSuffix: -v2
configMapGenerator:
  - name: settings
    literals: [A=1]
`,
      },
      'app',
    );
    const suffix = suffixFor(
      '{"data":{"A":"1"},"kind":"ConfigMap","name":"settings-v2"}',
    );
    expect(output.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `settings-v2-${suffix}` },
        data: { A: '1' },
      },
    ]);
  });

  it('renders generator files, env files, options, merge behaviour and binary data', async () => {
    const output = await render(
      {
        'base/kustomization.yaml': `
configMapGenerator:
  - name: settings
    envs: [settings.env]
    files:
      - app.properties
      - custom-key.json=config/raw.json
      - logo.png
generatorOptions:
  labels: { generated: "true", kind: global }
`,
        'base/settings.env':
          '\uFEFF# comment\nA=1\n  B=two words\n\nFROM_ENVIRONMENT\n',
        'base/app.properties': 'x=y\n',
        'base/config/raw.json': '{"a": 1}',
        'base/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]),
        'overlay/kustomization.yaml': `
resources: [../base]
configMapGenerator:
  - name: settings
    behavior: merge
    literals: [A=overridden, C=3]
    options:
      labels: { kind: local }
      disableNameSuffixHash: true
secretGenerator:
  - name: tls
    type: kubernetes.io/tls
    literals: ['tls.crt=CERT', "tls.key='KEY'"]
    options:
      immutable: true
generatorOptions:
  disableNameSuffixHash: true
`,
      },
      'overlay',
    );

    expect(output.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'settings',
          labels: { generated: 'true', kind: 'local' },
        },
        data: {
          A: 'overridden',
          B: 'two words',
          C: '3',
          'app.properties': 'x=y\n',
          'custom-key.json': '{"a": 1}',
        },
        binaryData: { 'logo.png': 'iVBOR/8A' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: 'tls' },
        data: { 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZ' },
        immutable: true,
      },
    ]);
    expect(output.warnings).toEqual([
      'base/settings.env:5: "FROM_ENVIRONMENT" takes its value from the environment in kustomize; Tollgate skipped it',
    ]);
  });

  it('applies strategic merge patches from files, inline text and label-selected targets', async () => {
    const output = await render(
      {
        'app/kustomization.yaml': `
resources: [apps.yaml]
patchesStrategicMerge:
  - limits.yaml
  - |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: worker
    $patch: delete
patches:
  - target:
      kind: Deployment
      labelSelector: tier=backend
    patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: any
        annotations: { patched: "yes" }
`,
        'app/apps.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, labels: { tier: backend } }
spec:
  template:
    spec:
      containers:
        - { name: api, image: api:1, resources: { requests: { cpu: 100m } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, labels: { tier: backend } }
spec: { template: { spec: { containers: [{ name: worker, image: worker:1 }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { tier: frontend } }
spec: { template: { spec: { containers: [{ name: web, image: web:1 }] } } }
`,
        'app/limits.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  template:
    spec:
      containers:
        - name: api
          resources: { requests: { memory: 256Mi }, limits: { memory: 512Mi } }
`,
      },
      'app',
    );

    expect(output.objects).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'api',
          labels: { tier: 'backend' },
          annotations: { patched: 'yes' },
        },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'api',
                  image: 'api:1',
                  resources: {
                    requests: { cpu: '100m', memory: '256Mi' },
                    limits: { memory: '512Mi' },
                  },
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { tier: 'frontend' } },
        spec: {
          template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } },
        },
      },
    ]);
  });

  it('applies patchesJson6902 and JSON patches selected by target patterns', async () => {
    const output = await render(
      {
        'app/kustomization.yaml': `
resources: [hpa.yaml]
patchesJson6902:
  - target: { group: autoscaling, version: v2, kind: HorizontalPodAutoscaler, name: api }
    path: hpa-patch.yaml
patches:
  - target: { kind: HorizontalPodAutoscaler, name: "api|web" }
    patch: '[{"op": "add", "path": "/metadata/labels", "value": {"scaled": "true"}}]'
`,
        'app/hpa.yaml': `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api }
spec: { minReplicas: 1, maxReplicas: 2 }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec: { minReplicas: 1, maxReplicas: 2 }
`,
        'app/hpa-patch.yaml':
          '- op: replace\n  path: /spec/maxReplicas\n  value: 10\n',
      },
      'app',
    );
    expect(
      output.objects.map(o => [o.metadata.name, o.metadata.labels, o.spec]),
    ).toEqual([
      ['api', { scaled: 'true' }, { minReplicas: 1, maxReplicas: 10 }],
      ['web', { scaled: 'true' }, { minReplicas: 1, maxReplicas: 2 }],
    ]);
  });

  it('adds labels to templates or selectors only when asked', async () => {
    const output = await render(
      {
        'app/kustomization.yaml': `
resources: [deploy.yaml]
labels:
  - pairs: { plain: a }
  - pairs: { template: b }
    includeTemplates: true
  - pairs: { selector: c }
    includeSelectors: true
`,
        'app/deploy.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } } }
`,
      },
      'app',
    );
    expect(output.objects[0]).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'api',
        labels: { plain: 'a', template: 'b', selector: 'c' },
      },
      spec: {
        selector: { matchLabels: { app: 'api', selector: 'c' } },
        template: {
          metadata: { labels: { app: 'api', template: 'b', selector: 'c' } },
        },
      },
    });
  });

  it('applies components to what the kustomization has accumulated', async () => {
    const output = await render(
      {
        'app/kustomization.yaml':
          'resources: [cm.yaml]\ncomponents: [../monitoring]\n',
        'app/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app }\n',
        'monitoring/kustomization.yaml': `
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [monitor.yaml]
commonAnnotations: { monitored: "true" }
`,
        'monitoring/monitor.yaml':
          'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: app }\n',
      },
      'app',
    );
    expect(output.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app', annotations: { monitored: 'true' } },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'app', annotations: { monitored: 'true' } },
      },
    ]);
  });

  it('keeps tags exactly as written and honours sortOptions fifo', async () => {
    const output = await render(
      {
        'app/kustomization.yaml': `
resources: [pod.yaml]
images:
  - name: web
    newTag: 1.10
sortOptions:
  order: fifo
configMapGenerator:
  - name: z
    options: { disableNameSuffixHash: true }
`,
        'app/pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata: { name: web }\nspec:\n  initContainers: [{ name: init, image: web }]\n  containers: [{ name: web, image: "web:1.0@sha256:abc" }]\n',
      },
      'app',
    );
    expect(output.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: {
          initContainers: [{ name: 'init', image: 'web:1.10' }],
          containers: [{ name: 'web', image: 'web:1.10' }],
        },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z' } },
    ]);
  });

  it('notes kustomize fields it does not render instead of failing', async () => {
    const output = await render(
      {
        'app/kustomization.yaml':
          'resources: [cm.yaml]\nreplacements: []\nhelmCharts: []\n',
        'app/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app }\n',
      },
      'app',
    );
    expect(output.warnings).toEqual([
      'app/kustomization.yaml: kustomize field "replacements" is not supported by Tollgate and was ignored',
      'app/kustomization.yaml: kustomize field "helmCharts" is not supported by Tollgate and was ignored',
    ]);
  });

  describe('errors', () => {
    it.each([
      'https://github.com/acme/platform//base?ref=v1.2.0',
      'github.com/acme/platform/base?ref=main',
      'git@github.com:acme/platform.git',
      'git::https://example.com/platform.git',
    ])('rejects the remote resource %s', async remote => {
      expect(
        await renderError(
          { 'app/kustomization.yaml': `resources:\n  - ${remote}\n` },
          'app',
        ),
      ).toBe(
        `app/kustomization.yaml: remote kustomize resources are not supported: ${remote}`,
      );
    });

    it('strips credentials from a remote resource URL', async () => {
      expect(
        await renderError(
          {
            'app/kustomization.yaml':
              'resources:\n  - https://bot:t0ps3cret@git.example.com/base.git\n',
          },
          'app',
        ),
      ).toBe(
        'app/kustomization.yaml: remote kustomize resources are not supported: https://git.example.com/base.git',
      );
    });

    it('reports a cycle of kustomizations', async () => {
      expect(
        await renderError(
          {
            'a/kustomization.yaml': 'resources: [../b]\n',
            'b/kustomization.yaml': 'resources: [../c]\n',
            'c/kustomization.yaml': 'resources: [../a]\n',
          },
          'a',
        ),
      ).toBe('kustomization cycle: a -> b -> c -> a');
    });

    it.each([
      [
        { 'app/kustomization.yaml': 'resources: [missing.yaml]\n' },
        'app/kustomization.yaml: resource "missing.yaml" does not exist',
      ],
      [
        { 'app/kustomization.yaml': 'resources: [../../outside]\n' },
        'app/kustomization.yaml: "../../outside" points outside the repository',
      ],
      [
        { 'app/kustomization.yaml': 'resources: [/etc/passwd]\n' },
        'app/kustomization.yaml: absolute path "/etc/passwd" is not supported; use a path relative to the kustomization',
      ],
      [
        {
          'app/kustomization.yaml': 'resources: [sub]\n',
          'app/sub/x.yaml': 'a: 1\n',
        },
        'app/sub: no kustomization.yaml in this folder',
      ],
      [
        {
          'app/kustomization.yaml':
            'replicas:\n  - name: web\n    count: three\n',
        },
        'app/kustomization.yaml: invalid field replicas.0.count: must be a whole number',
      ],
      [
        {
          'app/kustomization.yaml': 'replicas:\n  - name: web\n    count: 2\n',
        },
        'app/kustomization.yaml: replicas: no Deployment, ReplicationController, ReplicaSet, StatefulSet named "web"',
      ],
      [
        {
          'app/kustomization.yaml': 'resources: [a.yaml]\n',
          'app/Kustomization': '',
          'app/a.yaml': '',
        },
        'app: found more than one kustomization file (kustomization.yaml, Kustomization); keep one',
      ],
      [
        {
          'app/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
          'app/a.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
          'app/b.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
        },
        'app/kustomization.yaml: ConfigMap x is defined more than once',
      ],
      [
        {
          'app/kustomization.yaml':
            'resources: [a.yaml]\npatchesStrategicMerge: [p.yaml]\n',
          'app/a.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
          'app/p.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\ndata: {a: b}\n',
        },
        'app/p.yaml: no resource matches the patch for ConfigMap y',
      ],
      [
        {
          'app/kustomization.yaml': 'resources: [a.yaml]\n',
          'app/a.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n',
        },
        'app/a.yaml: YAML syntax error at line 4, column 9: Nested mappings are not allowed in compact mappings',
      ],
    ])('reports %j', async (files, message) => {
      expect(await renderError(files as Record<string, string>, 'app')).toBe(
        message,
      );
    });
  });
});
