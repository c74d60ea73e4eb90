import type { K8sObject } from './preview';
import {
  describeWorkloadSelector,
  selectWorkloadObjects,
} from './workloadObjects';

const ns = 'shop';
const meta = (name: string, labels?: Record<string, string>) => ({
  name,
  namespace: ns,
  ...(labels ? { labels } : {}),
});

function deployment(
  name: string,
  labels: Record<string, string>,
  podSpec: Record<string, unknown> = {},
): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, labels),
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'web' } },
        spec: { containers: [{ name: 'app', image: 'x' }], ...podSpec },
      },
    },
  };
}

const object = (kind: string, name: string, spec: unknown = {}): K8sObject => ({
  apiVersion: 'v1',
  kind,
  metadata: meta(name),
  spec,
});

function namespaceObjects(): K8sObject[] {
  return [
    deployment(
      'checkout',
      { 'app.kubernetes.io/name': 'checkout-api' },
      {
        serviceAccountName: 'checkout-sa',
        volumes: [
          { name: 'cfg', configMap: { name: 'checkout-files' } },
          {
            name: 'data',
            persistentVolumeClaim: { claimName: 'checkout-data' },
          },
        ],
        containers: [
          {
            name: 'app',
            image: 'x',
            envFrom: [{ configMapRef: { name: 'checkout-env' } }],
            env: [
              {
                name: 'A',
                valueFrom: { configMapKeyRef: { name: 'shared', key: 'a' } },
              },
            ],
          },
        ],
      },
    ),
    deployment('cart', { 'app.kubernetes.io/name': 'cart' }),
    object('Service', 'checkout', { selector: { app: 'checkout' } }),
    object('Service', 'checkout-canary', {
      selector: { app: 'checkout', track: 'canary' },
    }),
    object('Service', 'cart', { selector: { app: 'cart' } }),
    object('Service', 'headless-external', {}),
    {
      ...object('Ingress', 'shop', {
        rules: [
          {
            http: {
              paths: [{ backend: { service: { name: 'checkout' } } }],
            },
          },
        ],
      }),
      apiVersion: 'networking.k8s.io/v1',
    },
    object('Ingress', 'legacy', { backend: { serviceName: 'cart' } }),
    object('HorizontalPodAutoscaler', 'checkout', {
      scaleTargetRef: { kind: 'Deployment', name: 'checkout' },
    }),
    object('HorizontalPodAutoscaler', 'cart', {
      scaleTargetRef: { kind: 'Deployment', name: 'cart' },
    }),
    object('PodDisruptionBudget', 'web-tier', {
      selector: {
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }],
      },
    }),
    object('PodDisruptionBudget', 'everything', { selector: {} }),
    object('ConfigMap', 'checkout-files'),
    object('ConfigMap', 'checkout-env'),
    object('ConfigMap', 'shared'),
    object('ConfigMap', 'unrelated'),
    object('PersistentVolumeClaim', 'checkout-data'),
    object('ServiceAccount', 'checkout-sa'),
    object('ServiceAccount', 'default'),
  ];
}

const refs = (objects: K8sObject[]) =>
  objects.map(o => `${o.kind}/${o.metadata.name}`);

describe('selectWorkloadObjects', () => {
  it('collects the workload and everything that serves, scales or feeds it', () => {
    const selected = selectWorkloadObjects(namespaceObjects(), {
      name: 'checkout-api',
    });
    expect(refs(selected)).toEqual([
      'ConfigMap/checkout-env',
      'ConfigMap/checkout-files',
      'ConfigMap/shared',
      'Deployment/checkout',
      'HorizontalPodAutoscaler/checkout',
      'Ingress/shop',
      'PersistentVolumeClaim/checkout-data',
      'PodDisruptionBudget/web-tier',
      'Service/checkout',
      'ServiceAccount/checkout-sa',
    ]);
  });

  it('selects by name, by the id label, or by a label selector', () => {
    expect(
      refs(selectWorkloadObjects(namespaceObjects(), { name: 'cart' })),
    ).toEqual([
      'Deployment/cart',
      'HorizontalPodAutoscaler/cart',
      'Ingress/legacy',
      'PodDisruptionBudget/web-tier',
      'Service/cart',
    ]);
    const bySelector = selectWorkloadObjects(namespaceObjects(), {
      name: 'ignored',
      labelSelector: 'app.kubernetes.io/name in (cart,checkout-api)',
    });
    expect(refs(bySelector).filter(r => r.startsWith('Deployment/'))).toEqual([
      'Deployment/cart',
      'Deployment/checkout',
    ]);
  });

  it('finds nothing without a matching controller', () => {
    expect(
      selectWorkloadObjects(namespaceObjects(), { name: 'checkout-settings' }),
    ).toEqual([]);
    expect(describeWorkloadSelector({ name: 'web' })).toBe(
      'app.kubernetes.io/name=web or backstage.io/kubernetes-id=web, or named web',
    );
    expect(
      describeWorkloadSelector({ name: 'web', labelSelector: 'app=web' }),
    ).toBe('labels app=web');
  });
});
