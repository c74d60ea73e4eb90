/**
 * A synthetic cluster for the agent benchmark: N pods that look like real
 * ones (managedFields, projected service-account volume, probes, five
 * conditions; about 5 KB of JSON each) and, per 10 pods, 1 Deployment,
 * 2 ReplicaSets, 1 Service and 1 ConfigMap; one Node per 30 pods and one
 * Namespace per 100.
 */
import type {
  FakeKubeApi,
  K8sObject,
} from '../../agent/test/support/fakeKubeApi.ts';

/** Seeds `pods` pods and proportionate other objects; returns how many objects the agent should report. */
export function seedCluster(api: FakeKubeApi, pods: number): number {
  const namespaces = Math.max(1, Math.round(pods / 100));
  const deployments = Math.round(pods / 10);
  const nodes = Math.max(3, Math.round(pods / 30));
  const seeded: Array<[string, K8sObject[]]> = [
    [
      'Namespace',
      range(namespaces, index => ({
        metadata: { name: `team-${index}`, labels: { team: `t${index}` } },
      })),
    ],
    ['Node', range(nodes, nodeObject)],
    [
      'Deployment',
      range(deployments, index => deploymentObject(index, namespaces)),
    ],
    [
      'ReplicaSet',
      range(deployments * 2, index => replicaSetObject(index, namespaces)),
    ],
    ['Service', range(deployments, index => serviceObject(index, namespaces))],
    [
      'ConfigMap',
      range(deployments, index => configMapObject(index, namespaces)),
    ],
    ['Pod', range(pods, index => podObject(index, namespaces, nodes))],
  ];
  for (const [kind, objects] of seeded) api.seed(kind, objects);
  return seeded.reduce((total, [, objects]) => total + objects.length, 0);
}

function range<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}

const MANAGED_FIELDS = [
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2024-05-01T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': {
        'f:generateName': {},
        'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} },
        'f:ownerReferences': {},
      },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {},
            'f:env': {},
            'f:image': {},
            'f:resources': {},
          },
        },
      },
    },
  },
  {
    manager: 'kubelet',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2024-05-01T10:00:10Z',
    fieldsType: 'FieldsV1',
    subresource: 'status',
    fieldsV1: {
      'f:status': {
        'f:conditions': {},
        'f:containerStatuses': {},
        'f:hostIP': {},
        'f:phase': {},
        'f:podIP': {},
        'f:startTime': {},
      },
    },
  },
];

function appContainer(index: number) {
  return {
    name: 'app',
    image: `registry.example.com/team/app-${index % 200}:1.${index % 7}.0`,
    imagePullPolicy: 'IfNotPresent',
    args: ['--port=8080', '--log-format=json'],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      {
        name: 'API_KEY',
        value: `sk_live_${index.toString(36).padStart(24, 'x')}`,
      },
      {
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
      },
      {
        name: 'POD_NAME',
        valueFrom: {
          fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
        },
      },
    ],
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    },
    readinessProbe: {
      httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: '/live', port: 8080, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app' },
      {
        name: 'kube-api-access',
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
        readOnly: true,
      },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
  };
}

function helmLabels(app: string) {
  return {
    app,
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/managed-by': 'Helm',
    'helm.sh/chart': `${app}-1.2.3`,
  };
}

function podObject(
  index: number,
  namespaces: number,
  nodes: number,
): K8sObject {
  const app = `app-${Math.floor(index / 10)}`;
  return {
    metadata: {
      name: `${app}-7d9c5b6f4-${index.toString(36).padStart(5, '0')}`,
      generateName: `${app}-7d9c5b6f4-`,
      namespace: `team-${index % namespaces}`,
      labels: { ...helmLabels(app), 'pod-template-hash': '7d9c5b6f4' },
      annotations: {
        'kubectl.kubernetes.io/restartedAt': '2024-05-01T09:00:00Z',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-7d9c5b6f4`,
          uid: `rs-${index}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      creationTimestamp: '2024-05-01T10:00:00Z',
      managedFields: MANAGED_FIELDS,
    },
    spec: {
      nodeName: `node-${index % nodes}`,
      serviceAccountName: 'default',
      containers: [appContainer(index)],
      volumes: [
        {
          name: 'config',
          configMap: { name: `${app}-config`, defaultMode: 420 },
        },
        {
          name: 'kube-api-access',
          projected: {
            defaultMode: 420,
            sources: [
              {
                serviceAccountToken: { expirationSeconds: 3607, path: 'token' },
              },
              {
                configMap: {
                  name: 'kube-root-ca.crt',
                  items: [{ key: 'ca.crt', path: 'ca.crt' }],
                },
              },
              {
                downwardAPI: {
                  items: [
                    {
                      path: 'namespace',
                      fieldRef: {
                        apiVersion: 'v1',
                        fieldPath: 'metadata.namespace',
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      ],
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
    },
    status: {
      phase: 'Running',
      hostIP: '10.0.0.10',
      podIP: `10.1.${(index >> 8) & 255}.${index & 255}`,
      podIPs: [{ ip: `10.1.${(index >> 8) & 255}.${index & 255}` }],
      startTime: '2024-05-01T10:00:00Z',
      qosClass: 'Burstable',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map(type => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2024-05-01T10:00:05Z',
      })),
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          started: true,
          restartCount: index % 3,
          image: `registry.example.com/team/app-${index % 200}:1.${
            index % 7
          }.0`,
          imageID: `registry.example.com/team/app@sha256:${'a'.repeat(64)}`,
          containerID: `containerd://${'b'.repeat(64)}`,
          state: { running: { startedAt: '2024-05-01T10:00:03Z' } },
          lastState: {},
        },
      ],
    },
  };
}

function nodeObject(index: number): K8sObject {
  return {
    metadata: {
      name: `node-${index}`,
      labels: {
        'node.kubernetes.io/instance-type': 'm5.xlarge',
        'topology.kubernetes.io/region': 'eu-west-1',
        'topology.kubernetes.io/zone': `eu-west-1${'abc'[index % 3]}`,
      },
      managedFields: MANAGED_FIELDS,
    },
    spec: {
      providerID: `aws:///eu-west-1a/i-${index.toString(16).padStart(17, '0')}`,
    },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '58' },
      allocatable: { cpu: '3920m', memory: '15Gi', pods: '58' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: '2024-05-01T10:00:00Z',
          lastTransitionTime: '2024-05-01T09:00:00Z',
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.31.2',
        osImage: 'Bottlerocket',
        architecture: 'amd64',
        operatingSystem: 'linux',
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.1.0',
      },
      images: range(30, image => ({
        names: [`registry.example.com/team/app-${image}:1.0.0`],
        sizeBytes: 123_456_789,
      })),
    },
  };
}

function deploymentObject(index: number, namespaces: number): K8sObject {
  const app = `app-${index}`;
  return {
    metadata: {
      name: app,
      namespace: `team-${(index * 10) % namespaces}`,
      labels: helmLabels(app),
      annotations: {
        'meta.helm.sh/release-name': app,
        'meta.helm.sh/release-namespace': `team-${(index * 10) % namespaces}`,
      },
      generation: 4,
      managedFields: MANAGED_FIELDS,
    },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels: helmLabels(app) },
        spec: {
          containers: [appContainer(index)],
          serviceAccountName: 'default',
        },
      },
    },
    status: {
      replicas: 10,
      readyReplicas: 10,
      availableReplicas: 10,
      updatedReplicas: 10,
      observedGeneration: 4,
    },
  };
}

function replicaSetObject(index: number, namespaces: number): K8sObject {
  const deployment = deploymentObject(Math.floor(index / 2), namespaces);
  return {
    ...deployment,
    metadata: {
      ...deployment.metadata,
      name: `${deployment.metadata.name}-${
        index % 2 ? '7d9c5b6f4' : '5f8d7c9b2'
      }`,
    },
  };
}

function serviceObject(index: number, namespaces: number): K8sObject {
  return {
    metadata: {
      name: `app-${index}`,
      namespace: `team-${(index * 10) % namespaces}`,
      labels: helmLabels(`app-${index}`),
    },
    spec: {
      selector: { app: `app-${index}` },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
    },
  };
}

function configMapObject(index: number, namespaces: number): K8sObject {
  return {
    metadata: {
      name: `app-${index}-config`,
      namespace: `team-${(index * 10) % namespaces}`,
    },
    data: {
      'config.yaml': 'server:\n  port: 8080\n'.repeat(20),
      FEATURE_FLAGS: 'a,b,c',
    },
  };
}
