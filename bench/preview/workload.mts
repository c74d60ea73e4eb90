/**
 * A synthetic 50-object workload in two environments, and the cluster
 * around it, as the agent would report them.
 */

type K8sObject = Record<string, any>;

export const WORKLOAD = 'bench-api';
export const NAMESPACE = 'shop';
const CONFIG_MAPS = 39;
const VOLUMES = 4;
const labels = { 'app.kubernetes.io/name': WORKLOAD };

interface Variant {
  tag: string;
  replicas: number;
  cpu: string;
  memory: string;
  instanceType: string;
  /** A setting that differs between the environments, in every ConfigMap. */
  logLevel: string;
}

export const STAGING: Variant = {
  tag: '2.4.0',
  replicas: 3,
  cpu: '750m',
  memory: '1Gi',
  instanceType: 'm5.large',
  logLevel: 'debug',
};

export const PRODUCTION: Variant = {
  tag: '2.3.1',
  replicas: 4,
  cpu: '500m',
  memory: '768Mi',
  instanceType: 'm5.xlarge',
  logLevel: 'info',
};

const meta = (kind: string, name: string, apiVersion = 'v1') => ({
  apiVersion,
  kind,
  metadata: { name, namespace: NAMESPACE, labels, uid: `${kind}-${name}` },
});

/** Deployment, 2 Services, Ingress, HPA, PDB, ServiceAccount, 39 ConfigMaps, 4 PVCs: 50 objects. */
export function workloadObjects(variant: Variant): K8sObject[] {
  const configMaps = range(CONFIG_MAPS, i => ({
    ...meta('ConfigMap', `${WORKLOAD}-config-${i}`),
    data: { LOG_LEVEL: '', FEATURE_FLAGS: '' },
  }));
  const claims = range(VOLUMES, i => ({
    ...meta('PersistentVolumeClaim', `${WORKLOAD}-data-${i}`),
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: i === 0 ? '50Gi' : '20Gi' } },
    },
  }));
  return [
    deployment(variant),
    service(WORKLOAD, 8080),
    service(`${WORKLOAD}-metrics`, 9090),
    {
      ...meta('Ingress', WORKLOAD, 'networking.k8s.io/v1'),
      spec: {
        rules: [
          {
            host: 'api.shop.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: {
                    service: { name: WORKLOAD, port: { number: 8080 } },
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      ...meta('HorizontalPodAutoscaler', WORKLOAD, 'autoscaling/v2'),
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: WORKLOAD,
        },
        minReplicas: variant.replicas,
        maxReplicas: variant.replicas * 3,
      },
    },
    {
      ...meta('PodDisruptionBudget', WORKLOAD, 'policy/v1'),
      spec: { minAvailable: 2, selector: { matchLabels: labels } },
    },
    meta('ServiceAccount', WORKLOAD),
    ...configMaps,
    ...claims,
  ];
}

function deployment(variant: Variant): K8sObject {
  return {
    ...meta('Deployment', WORKLOAD, 'apps/v1'),
    spec: {
      replicas: variant.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: WORKLOAD,
          containers: [
            {
              name: 'api',
              image: `ghcr.io/acme/${WORKLOAD}:${variant.tag}`,
              ports: [{ containerPort: 8080 }, { containerPort: 9090 }],
              envFrom: range(CONFIG_MAPS, i => ({
                configMapRef: { name: `${WORKLOAD}-config-${i}` },
              })),
              env: [{ name: 'LOG_LEVEL', value: variant.logLevel }],
              resources: {
                requests: { cpu: variant.cpu, memory: variant.memory },
                limits: { memory: variant.memory },
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              volumeMounts: range(VOLUMES, i => ({
                name: `data-${i}`,
                mountPath: `/data/${i}`,
              })),
            },
          ],
          volumes: range(VOLUMES, i => ({
            name: `data-${i}`,
            persistentVolumeClaim: { claimName: `${WORKLOAD}-data-${i}` },
          })),
        },
      },
    },
  };
}

function service(name: string, port: number): K8sObject {
  return {
    ...meta('Service', name),
    spec: { type: 'ClusterIP', selector: labels, ports: [{ port }] },
  };
}

/**
 * What else runs in the cluster: nodes of the variant's instance type, the
 * workload's pods, and `others` pods with ConfigMaps in 20 other namespaces.
 */
export function surroundings(variant: Variant, others: number): K8sObject[] {
  const nodes = range(Math.max(3, Math.ceil(others / 60)), i => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `node-${i}`,
      uid: `node-${i}`,
      labels: {
        'node.kubernetes.io/instance-type': variant.instanceType,
        'topology.kubernetes.io/region': 'eu-west-1',
        'topology.kubernetes.io/zone': `eu-west-1${'abc'[i % 3]}`,
      },
    },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '3920m', memory: '15Gi', pods: '110' },
    },
  }));
  const pod = (namespace: string, name: string, node: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `${namespace}-${name}`, labels },
    spec: {
      nodeName: `node-${node % nodes.length}`,
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/acme/app:1.0.0',
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
    status: { phase: 'Running' },
  });
  const own = range(variant.replicas, i =>
    pod(NAMESPACE, `${WORKLOAD}-${i}`, i),
  );
  const theirs = range(others, i => {
    const p = pod(`team-${i % 20}`, `app-${i}`, i);
    p.metadata.labels = { 'app.kubernetes.io/name': `app-${i % 200}` };
    return p;
  });
  const theirConfigMaps = range(Math.round(others / 4), i => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `settings-${i}`,
      namespace: `team-${i % 20}`,
      uid: `settings-${i}`,
    },
    data: { KEY: '' },
  }));
  const namespaces = [NAMESPACE, ...range(20, i => `team-${i}`)].map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `ns-${name}` },
  }));
  return [...namespaces, ...nodes, ...own, ...theirs, ...theirConfigMaps];
}

function range<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}
