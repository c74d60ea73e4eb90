import type { K8sObject } from './fakeKubeApi.ts';

/** Values that must never leave the agent, whatever object they hide in. */
export const SECRET_ENV_VALUE = 'AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI-K7MDENG';
export const CONFIG_VALUE = 'postgres://app:hunter2-config-value@db:5432/shop';

const MANAGED_FIELDS = [
  {
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2024-05-01T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
  },
];

function metadata(
  name: string,
  namespace: string | undefined,
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    creationTimestamp: '2024-05-01T10:00:00Z',
    managedFields: MANAGED_FIELDS,
    ...extra,
  };
}

export function namespace(name: string): K8sObject {
  return {
    metadata: metadata(name, undefined, {
      labels: { 'kubernetes.io/metadata.name': name },
    }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function node(
  name: string,
  heartbeat = '2024-05-01T10:00:00Z',
): K8sObject {
  return {
    metadata: metadata(name, undefined, {
      labels: {
        'node.kubernetes.io/instance-type': 'm5.large',
        'topology.kubernetes.io/region': 'eu-west-1',
      },
    }),
    spec: { providerID: `aws:///eu-west-1a/i-${name}`, podCIDR: '10.0.0.0/24' },
    status: {
      capacity: { cpu: '2', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '1930m', memory: '7Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: heartbeat,
          lastTransitionTime: '2024-05-01T09:00:00Z',
          message: 'kubelet is posting ready status',
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.31.2',
        osImage: 'Amazon Linux 2023',
        architecture: 'amd64',
        operatingSystem: 'linux',
        machineID: 'abc',
        bootID: 'def',
      },
      images: [
        { names: ['registry.example.com/shop/api:1.0.0'], sizeBytes: 123456 },
      ],
      addresses: [{ type: 'InternalIP', address: '10.0.0.12' }],
    },
  };
}

function container(image: string, secretValue = SECRET_ENV_VALUE) {
  return {
    name: 'api',
    image,
    env: [
      { name: 'AWS_SECRET_ACCESS_KEY', value: secretValue },
      {
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
      },
    ],
    resources: {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    },
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
  };
}

function helmMetadata(
  name: string,
  ns: string,
  extra: Record<string, unknown> = {},
) {
  return metadata(name, ns, {
    labels: {
      app: name,
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': 'shop-api-1.4.2',
    },
    annotations: {
      'meta.helm.sh/release-name': 'shop',
      'meta.helm.sh/release-namespace': ns,
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
        env: SECRET_ENV_VALUE,
      }),
    },
    ...extra,
  });
}

export function deployment(
  ns: string,
  name: string,
  image = 'registry.example.com/shop/api:1.0.0',
  secretValue?: string,
): K8sObject {
  return {
    metadata: helmMetadata(name, ns, { generation: 3 }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [container(image, secretValue)] },
      },
    },
    status: {
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 3,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          lastUpdateTime: '2024-05-01T10:00:00Z',
          message: 'ok',
        },
      ],
    },
  };
}

export function pod(
  ns: string,
  name: string,
  options: { phase?: string; restarts?: number; podIP?: string } = {},
): K8sObject {
  return {
    metadata: helmMetadata(name, ns, {
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${name}-rs`,
          uid: 'rs-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    }),
    spec: {
      nodeName: 'node-a',
      serviceAccountName: 'shop',
      containers: [container('registry.example.com/shop/api:1.0.0')],
      volumes: [{ name: 'config', configMap: { name: 'shop-config' } }],
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    },
    status: {
      phase: options.phase ?? 'Running',
      podIP: options.podIP ?? '10.1.2.3',
      hostIP: '10.0.0.12',
      startTime: '2024-05-01T10:00:00Z',
      qosClass: 'Burstable',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: '2024-05-01T10:00:05Z',
          lastProbeTime: null,
        },
      ],
      containerStatuses: [
        {
          name: 'api',
          ready: true,
          restartCount: options.restarts ?? 0,
          image: 'registry.example.com/shop/api:1.0.0',
          imageID: 'sha256:abc',
          containerID: 'containerd://123',
          state: { running: { startedAt: '2024-05-01T10:00:03Z' } },
          lastState: options.restarts
            ? {
                terminated: {
                  reason: 'OOMKilled',
                  exitCode: 137,
                  startedAt: '2024-05-01T09:00:00Z',
                  finishedAt: '2024-05-01T09:59:00Z',
                },
              }
            : {},
        },
      ],
    },
  };
}

export function configMap(
  ns: string,
  name: string,
  data: Record<string, string> = { DATABASE_URL: CONFIG_VALUE },
): K8sObject {
  return {
    metadata: metadata(name, ns, {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          data,
        }),
      },
    }),
    data,
  };
}

export function service(ns: string, name: string): K8sObject {
  return {
    metadata: metadata(name, ns),
    spec: {
      selector: { app: name },
      ports: [{ port: 80, targetPort: 8080 }],
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
    },
    status: { loadBalancer: {} },
  };
}

export function warningEvent(
  ns: string,
  name: string,
  reason = 'BackOff',
): K8sObject {
  return {
    metadata: metadata(name, ns),
    type: 'Warning',
    reason,
    message: 'Back-off restarting failed container api',
    involvedObject: {
      kind: 'Pod',
      namespace: ns,
      name: 'api-1',
      uid: 'pod-uid',
      apiVersion: 'v1',
      resourceVersion: '77',
    },
    count: 3,
    firstTimestamp: '2024-05-01T10:00:00Z',
    lastTimestamp: '2024-05-01T10:05:00Z',
    source: { component: 'kubelet', host: 'node-a' },
  };
}

export function normalEvent(ns: string, name: string): K8sObject {
  return { ...warningEvent(ns, name, 'Scheduled'), type: 'Normal' };
}

export function podMetrics(ns: string, name: string, cpu: string): K8sObject {
  return {
    metadata: {
      name,
      namespace: ns,
      labels: { app: 'api' },
      creationTimestamp: '2024-05-01T10:00:00Z',
    },
    timestamp: '2024-05-01T10:00:00Z',
    window: '30s',
    containers: [{ name: 'api', usage: { cpu, memory: '120Mi' } }],
  };
}

export function nodeMetrics(name: string, cpu: string): K8sObject {
  return {
    metadata: { name, labels: {} },
    timestamp: '2024-05-01T10:00:00Z',
    window: '30s',
    usage: { cpu, memory: '3Gi' },
  };
}

export function policyReport(ns: string, name: string): K8sObject {
  return {
    metadata: metadata(name, ns),
    scope: { kind: 'Deployment', name: 'api', namespace: ns },
    summary: { pass: 3, fail: 1, warn: 0, error: 0, skip: 0 },
    results: [
      {
        policy: 'require-limits',
        rule: 'cpu-limit',
        result: 'fail',
        severity: 'medium',
        message: 'CPU limit is required',
      },
    ],
  };
}

export function secret(ns: string, name: string): K8sObject {
  return {
    metadata: metadata(name, ns),
    type: 'Opaque',
    data: { password: Buffer.from(SECRET_ENV_VALUE).toString('base64') },
  };
}
