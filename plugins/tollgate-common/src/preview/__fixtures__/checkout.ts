/**
 * A realistic "checkout" workload: production as the agent reads it from
 * the cluster (server fields, defaults filled in, last-applied copy) and
 * staging as rendered from Git. Functions return fresh copies.
 */
import { K8sObject } from '../objects';

export const SECRET_LOOKING_VALUE = 'sk_live_51HxQ2eCZ9rT0pSecretToken';

const labels = {
  'app.kubernetes.io/name': 'checkout',
  'app.kubernetes.io/part-of': 'shop',
};

export function productionDeployment(): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop-prod',
      uid: '0b7c7f0e-5a0e-4a37-9d5e-2b1f6b1f4c11',
      resourceVersion: '48213377',
      generation: 14,
      creationTimestamp: '2025-02-11T09:12:44Z',
      labels,
      annotations: {
        'deployment.kubernetes.io/revision': '14',
        'kubectl.kubernetes.io/last-applied-configuration': `{"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"containers":[{"env":[{"name":"PAYMENT_API_KEY","value":"${SECRET_LOOKING_VALUE}"}]}]}}}}`,
        'argocd.argoproj.io/tracking-id':
          'shop-prod:apps/Deployment:shop-prod/checkout',
      },
      managedFields: [
        {
          manager: 'argocd-controller',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          time: '2025-05-02T10:00:00Z',
        },
      ],
    },
    spec: {
      replicas: 3,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: {
          creationTimestamp: null,
          labels,
          annotations: {
            'kubectl.kubernetes.io/restartedAt': '2025-05-01T08:00:00Z',
          },
        },
        spec: {
          serviceAccountName: 'checkout',
          serviceAccount: 'checkout',
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: { runAsNonRoot: true },
          terminationGracePeriodSeconds: 30,
          volumes: [
            {
              name: 'config',
              configMap: { name: 'checkout-config', defaultMode: 420 },
            },
            {
              name: 'cache',
              persistentVolumeClaim: { claimName: 'checkout-cache' },
            },
          ],
          containers: [
            {
              name: 'api',
              image:
                'registry.example.com/shop/checkout:1.8.2@sha256:4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'PAYMENT_API_KEY', value: SECRET_LOOKING_VALUE },
                {
                  name: 'DB_PASSWORD',
                  valueFrom: {
                    secretKeyRef: { name: 'checkout-db', key: 'password' },
                  },
                },
              ],
              resources: {
                requests: { cpu: '500m', memory: '1Gi' },
                limits: { cpu: '1', memory: '1536Mi' },
              },
              readinessProbe: {
                httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
                timeoutSeconds: 1,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: '/live', port: 'http', scheme: 'HTTP' },
                initialDelaySeconds: 10,
                timeoutSeconds: 1,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 3,
              },
              securityContext: { allowPrivilegeEscalation: false },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/checkout' },
                { name: 'cache', mountPath: '/var/cache/checkout' },
              ],
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
        },
      },
    },
    status: { replicas: 3, readyReplicas: 3, observedGeneration: 14 },
  };
}

/** Staging from Git: newer image, larger requests, same shape otherwise. */
export function stagingDeployment(): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop-staging', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'checkout',
          securityContext: { runAsNonRoot: true },
          volumes: [
            { name: 'config', configMap: { name: 'checkout-config' } },
            {
              name: 'cache',
              persistentVolumeClaim: { claimName: 'checkout-cache' },
            },
          ],
          containers: [
            {
              name: 'api',
              image:
                'registry.example.com/shop/checkout:1.9.0@sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'LOG_LEVEL', value: 'debug' },
                { name: 'PAYMENT_API_KEY', value: SECRET_LOOKING_VALUE },
                {
                  name: 'DB_PASSWORD',
                  valueFrom: {
                    secretKeyRef: { name: 'checkout-db', key: 'password' },
                  },
                },
              ],
              resources: {
                requests: { cpu: '750m', memory: '1536Mi' },
                limits: { cpu: '1500m', memory: '2Gi' },
              },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              livenessProbe: {
                httpGet: { path: '/live', port: 'http' },
                initialDelaySeconds: 10,
              },
              securityContext: { allowPrivilegeEscalation: false },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/checkout' },
                { name: 'cache', mountPath: '/var/cache/checkout' },
              ],
            },
          ],
        },
      },
    },
  };
}

export function productionService(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'checkout',
      namespace: 'shop-prod',
      uid: 'f3e1',
      resourceVersion: '1200',
      labels,
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.100.23.7',
      clusterIPs: ['10.100.23.7'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      selector: { 'app.kubernetes.io/name': 'checkout' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
    status: { loadBalancer: {} },
  };
}

export function stagingService(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'checkout', namespace: 'shop-staging', labels },
    spec: {
      selector: { 'app.kubernetes.io/name': 'checkout' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
}

export function hpa(
  namespace: string,
  minReplicas = 2,
  maxReplicas = 6,
): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'checkout', namespace, labels },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'checkout',
      },
      minReplicas,
      maxReplicas,
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
  };
}

export function pdb(
  namespace: string,
  minAvailable: number | string = 1,
): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'checkout', namespace, labels },
    spec: {
      minAvailable,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
    },
  };
}

export function cachePvc(
  namespace: string,
  storage = '20Gi',
  storageClassName = 'gp3',
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: 'checkout-cache',
      namespace,
      labels,
      annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      volumeMode: 'Filesystem',
      resources: { requests: { storage } },
    },
  };
}

export function configMap(namespace: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'checkout-config', namespace, labels },
    data: { 'application.yaml': 'server:\n  port: 8080\n' },
  };
}

export function serviceAccount(namespace: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'checkout', namespace, labels },
  };
}

export function ingress(namespace: string, host: string): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'checkout', namespace, labels },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [host], secretName: 'checkout-tls' }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: 'checkout', port: { name: 'http' } },
                },
              },
            ],
          },
        },
      ],
    },
  };
}

/** An EKS node as the agent reports it. */
export function m5LargeNode(
  name: string,
  zone = 'us-east-1a',
  extraLabels = {},
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'm5.large',
        'topology.kubernetes.io/region': 'us-east-1',
        'topology.kubernetes.io/zone': zone,
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        ...extraLabels,
      },
    },
    spec: { providerID: `aws:///${zone}/i-0${name.length}a1b2c3d4e5f6` },
    status: {
      capacity: { cpu: '2', memory: '7910348Ki', pods: '29' },
      allocatable: { cpu: '1930m', memory: '7220172Ki', pods: '29' },
    },
  };
}

export function podMetrics(
  name: string,
  namespace: string,
  usage: { cpu: string; memory: string },
  container = 'api',
): K8sObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name,
      namespace,
      labels: { ...labels, 'pod-template-hash': '7d9f8b6c5d' },
    },
    timestamp: '2025-05-02T10:00:00Z',
    window: '30s',
    containers: [{ name: container, usage }],
  };
}

export function productionObjects(): K8sObject[] {
  return [
    productionDeployment(),
    productionService(),
    hpa('shop-prod'),
    pdb('shop-prod'),
    cachePvc('shop-prod'),
    configMap('shop-prod'),
    serviceAccount('shop-prod'),
    ingress('shop-prod', 'checkout.shop.example.com'),
  ];
}

export function stagingObjects(): K8sObject[] {
  return [
    stagingDeployment(),
    stagingService(),
    hpa('shop-staging'),
    pdb('shop-staging'),
    cachePvc('shop-staging', '30Gi'),
    configMap('shop-staging'),
    serviceAccount('shop-staging'),
    ingress('shop-staging', 'checkout.shop.example.com'),
  ];
}

export function productionNodes(): K8sObject[] {
  return [
    m5LargeNode('ip-10-0-1-17.ec2.internal', 'us-east-1a'),
    m5LargeNode('ip-10-0-2-33.ec2.internal', 'us-east-1b'),
    m5LargeNode('ip-10-0-3-51.ec2.internal', 'us-east-1c'),
  ];
}

export function productionMetrics(): K8sObject[] {
  return [
    podMetrics('checkout-7d9f8b6c5d-x2x9k', 'shop-prod', {
      cpu: '312m',
      memory: '702Mi',
    }),
    podMetrics('checkout-7d9f8b6c5d-p8q4w', 'shop-prod', {
      cpu: '288m',
      memory: '650Mi',
    }),
    podMetrics('checkout-7d9f8b6c5d-z7m2n', 'shop-prod', {
      cpu: '300m',
      memory: '698Mi',
    }),
  ];
}

export function gp3StorageClass(): K8sObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: 'gp3',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', fsType: 'ext4' },
  };
}
