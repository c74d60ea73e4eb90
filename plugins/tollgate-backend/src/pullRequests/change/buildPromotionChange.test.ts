import { ConflictError } from '@backstage/errors';
import {
  unifiedYamlDiff,
  type DiffResult,
  type ObjectDiff,
} from '@tollgate/plugin-tollgate-common';
import {
  DEMO_GITOPS_DIR,
  memoryRepo,
  previewDiff,
  readTree,
  renderOverlay,
} from '../__testUtils__/demoRepo';
import type { GitOpsTarget } from '../types';
import { buildPromotionChange } from './buildPromotionChange';

const STAGING = 'apps/checkout-api/overlays/staging';
const PRODUCTION = 'apps/checkout-api/overlays/production';
const KUSTOMIZE_TARGET: GitOpsTarget = {
  repo: '/srv/gitops.git',
  branch: 'main',
  path: PRODUCTION,
  layout: 'kustomize',
};

async function demoPromotion(files: Record<string, string>) {
  const source = await renderOverlay(files, STAGING);
  const target = await renderOverlay(files, PRODUCTION);
  return buildPromotionChange({
    diff: previewDiff(source, target),
    target: KUSTOMIZE_TARGET,
    files: memoryRepo(files),
    sourceObjects: source,
  });
}

function diffOf(...objects: ObjectDiff[]): DiffResult {
  const summary = {
    added: 0,
    removed: 0,
    modified: objects.length,
    renamed: 0,
    unchanged: 0,
    total: objects.length,
  };
  return { summary, objects };
}

function modified(
  kind: string,
  name: string,
  changes: ObjectDiff['changes'],
): ObjectDiff {
  return {
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
    kind,
    name,
    status: 'modified',
    changes,
    unifiedDiff: '',
  };
}

const API = 'spec.template.spec.containers[name=api]';

describe('buildPromotionChange', () => {
  describe('kustomize overlay', () => {
    it('edits images, replicas, patches and operations in place, keeping comments', async () => {
      const files = await readTree(DEMO_GITOPS_DIR);
      const change = await demoPromotion(files);

      expect(change.files.map(file => file.path)).toEqual([
        `${PRODUCTION}/kustomization.yaml`,
        `${PRODUCTION}/pdb-min-available.json`,
        `${PRODUCTION}/resources.yaml`,
      ]);
      expect(change.files[0].before).toBe(
        files[`${PRODUCTION}/kustomization.yaml`],
      );
      expect(change.files[0].after)
        .toBe(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - ../../base
images:
  - name: ghcr.io/acme/checkout-api
    newTag: 2.4.0 # moved by promotion pull requests
replicas:
  - name: checkout-api
    count: 2
patches:
  - path: resources.yaml
  # Production is reached through the ingress, not a load balancer of its own.
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata:
        name: checkout-api
      spec:
        type: LoadBalancer
  - target:
      kind: HorizontalPodAutoscaler
      name: checkout-api
    patch: |-
      - op: replace
        path: /spec/minReplicas
        value: 2
      - op: replace
        path: /spec/maxReplicas
        value: 4
  - target:
      group: policy
      kind: PodDisruptionBudget
      name: checkout-api
    path: pdb-min-available.json
`);
      expect(change.files[1].after).toBe(
        '[{ "op": "replace", "path": "/spec/minAvailable", "value": 1 }]\n',
      );
      // The env value comes from the staging overlay in Git, never from a cluster.
      expect(change.files[2].after)
        .toBe(`# Production runs more, smaller pods than staging.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-api
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: FEATURE_ONE_CLICK
              value: 'true'
          resources:
            requests:
              cpu: 500m
              memory: 768Mi
            limits:
              memory: 1Gi
`);
      expect(change.manualSteps).toEqual([]);
    });

    it('writes nothing when the target already equals the source', async () => {
      const files = await readTree(DEMO_GITOPS_DIR);
      const production = await renderOverlay(files, PRODUCTION);
      const change = await buildPromotionChange({
        diff: previewDiff(production, production),
        target: KUSTOMIZE_TARGET,
        files: memoryRepo(files),
      });
      expect(change).toEqual({ files: [], manualSteps: [] });
    });

    it('re-applies on a base that moved elsewhere, and is idempotent', async () => {
      const files = await readTree(DEMO_GITOPS_DIR);
      const source = await renderOverlay(files, STAGING);
      const diff = previewDiff(source, await renderOverlay(files, PRODUCTION));
      const kustomization = `${PRODUCTION}/kustomization.yaml`;
      const moved = {
        ...files,
        [kustomization]: files[kustomization].replace(
          'namespace: shop\n',
          'namespace: shop\ncommonAnnotations:\n  team: payments\n',
        ),
      };
      const first = await buildPromotionChange({
        diff,
        target: KUSTOMIZE_TARGET,
        files: memoryRepo(moved),
        sourceObjects: source,
      });
      expect(first.files[0].after).toContain(
        'commonAnnotations:\n  team: payments\n',
      );
      expect(first.files[0].after).toContain('newTag: 2.4.0');

      const applied = Object.fromEntries([
        ...Object.entries(moved),
        ...first.files.map(file => [file.path, file.after]),
      ]);
      const again = await buildPromotionChange({
        diff,
        target: KUSTOMIZE_TARGET,
        files: memoryRepo(applied),
        sourceObjects: source,
      });
      expect(again.files).toEqual([]);
    });

    it('reports a conflict naming the file when the base changed a line it must edit', async () => {
      const files = await readTree(DEMO_GITOPS_DIR);
      const source = await renderOverlay(files, STAGING);
      const diff = previewDiff(source, await renderOverlay(files, PRODUCTION));
      const resources = `${PRODUCTION}/resources.yaml`;
      const conflicting = {
        ...files,
        [resources]: files[resources].replace('cpu: 250m', 'cpu: 300m'),
      };
      const attempt = buildPromotionChange({
        diff,
        target: KUSTOMIZE_TARGET,
        files: memoryRepo(conflicting),
        sourceObjects: source,
      });
      await expect(attempt).rejects.toThrow(ConflictError);
      await expect(attempt).rejects.toThrow(
        `The base branch changed what the promotion must edit: ${resources} (Deployment/checkout-api ${API}.resources.requests.cpu is "300m", the preview expected "250m")`,
      );
      await expect(attempt).rejects.toMatchObject({ files: [resources] });
    });

    it('adds a patch file for an object the overlay does not patch yet', async () => {
      const files = await readTree(DEMO_GITOPS_DIR);
      const change = await buildPromotionChange({
        diff: diffOf(
          modified('ServiceAccount', 'checkout-api', [
            {
              path: 'metadata.annotations["eks.amazonaws.com/role-arn"]',
              type: 'added',
              after: 'arn:aws:iam::111122223333:role/checkout',
            },
          ]),
        ),
        target: KUSTOMIZE_TARGET,
        files: memoryRepo(files),
      });
      expect(
        change.files.map(file => [file.path, file.before === null]),
      ).toEqual([
        [`${PRODUCTION}/kustomization.yaml`, false],
        [`${PRODUCTION}/promotion-serviceaccount-checkout-api.yaml`, true],
      ]);
      expect(change.files[0].after).toMatch(
        /path: pdb-min-available.json\n {2}- path: promotion-serviceaccount-checkout-api.yaml\n$/,
      );
      expect(change.files[1].after).toBe(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: checkout-api
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/checkout
`);
    });
  });

  describe('plain manifests', () => {
    const deployment = `# The API, as the platform team wrote it
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-api
spec:
  replicas: 3 # peak traffic
  template:
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/checkout-api:2.3.1
        env:
        - name: LOG_LEVEL
          value: info
---
apiVersion: v1
kind: Service
metadata:
  name: checkout-api
spec:
  type: ClusterIP
`;
    const target: GitOpsTarget = {
      repo: '/srv/gitops.git',
      branch: 'main',
      path: 'prod/checkout',
      layout: 'plain',
    };

    it('edits the documents that hold each object and adds files for new objects', async () => {
      const settings = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'checkout-flags', namespace: 'shop' },
        data: { ONE_CLICK: 'true' },
      };
      const added: ObjectDiff = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'checkout-flags',
        namespace: 'shop',
        status: 'added',
        changes: [],
        unifiedDiff: unifiedYamlDiff(undefined, settings),
      };
      const change = await buildPromotionChange({
        diff: diffOf(
          modified('Deployment', 'checkout-api', [
            {
              path: `${API}.image`,
              type: 'changed',
              before: 'ghcr.io/acme/checkout-api:2.3.1',
              after: 'ghcr.io/acme/checkout-api:2.4.0',
            },
            { path: 'spec.replicas', type: 'changed', before: 3, after: 2 },
            {
              path: `${API}.env[name=DB_PASSWORD]`,
              type: 'added',
              after: {
                name: 'DB_PASSWORD',
                valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
              },
            },
            {
              path: `${API}.env[name=API_KEY]`,
              type: 'added',
              after: { name: 'API_KEY', value: '<redacted>' },
            },
          ]),
          modified('Service', 'checkout-api', [
            {
              path: 'spec.type',
              type: 'changed',
              before: 'ClusterIP',
              after: 'LoadBalancer',
            },
          ]),
          added,
        ),
        target,
        files: memoryRepo({ 'prod/checkout/app.yaml': deployment }),
      });

      expect(change.files.map(file => file.path)).toEqual([
        'prod/checkout/app.yaml',
        'prod/checkout/configmap-checkout-flags.yaml',
      ]);
      expect(change.files[0].after)
        .toBe(`# The API, as the platform team wrote it
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-api
spec:
  replicas: 2 # peak traffic
  template:
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/checkout-api:2.4.0
        env:
        - name: LOG_LEVEL
          value: info
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
---
apiVersion: v1
kind: Service
metadata:
  name: checkout-api
spec:
  type: LoadBalancer
`);
      expect(change.files[1]).toEqual({
        path: 'prod/checkout/configmap-checkout-flags.yaml',
        before: null,
        after: `apiVersion: v1
data:
  ONE_CLICK: "true"
kind: ConfigMap
metadata:
  name: checkout-flags
  namespace: shop
`,
      });
      expect(change.manualSteps).toEqual([
        `Set ${API}.env[name=API_KEY] of Deployment/checkout-api by hand: Tollgate never reads or writes that value`,
      ]);
      expect(JSON.stringify(change.files)).not.toContain('redacted');
    });
  });

  describe('Helm values', () => {
    const values = `# checkout-api in production
image:
  repository: ghcr.io/acme/checkout-api
  tag: "2.3.1" # pinned
replicaCount: 4
resources:
  requests:
    cpu: 250m
`;

    it('maps the image tag, replicas and resources to values paths', async () => {
      const change = await buildPromotionChange({
        diff: diffOf(
          modified('Deployment', 'checkout-api', [
            {
              path: `${API}.image`,
              type: 'changed',
              before: 'ghcr.io/acme/checkout-api:2.3.1',
              after: 'ghcr.io/acme/checkout-api:2.4.0',
            },
            { path: 'spec.replicas', type: 'changed', before: 4, after: 2 },
            {
              path: `${API}.resources.requests.cpu`,
              type: 'changed',
              before: '250m',
              after: '500m',
            },
            {
              path: 'spec.strategy.type',
              type: 'changed',
              before: 'Recreate',
              after: 'RollingUpdate',
            },
          ]),
        ),
        target: {
          repo: '/srv/gitops.git',
          branch: 'main',
          path: 'charts/checkout',
          layout: 'helm-values',
        },
        helm: { valuesFile: 'values-production.yaml' },
        files: memoryRepo({ 'charts/checkout/values-production.yaml': values }),
      });

      expect(change.files).toEqual([
        {
          path: 'charts/checkout/values-production.yaml',
          before: values,
          after: `# checkout-api in production
image:
  repository: ghcr.io/acme/checkout-api
  tag: "2.4.0" # pinned
replicaCount: 2
resources:
  requests:
    cpu: 500m
`,
        },
      ]);
      expect(change.manualSteps).toEqual([
        "Change spec.strategy.type of Deployment/checkout-api in the chart's values by hand: no values path is configured for it",
      ]);
    });
  });
});
