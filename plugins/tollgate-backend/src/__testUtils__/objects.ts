/** Small, realistic projected objects for ingest tests. */
export function deployment(
  name: string,
  image = 'ghcr.io/acme/api:1.4.2',
  ns = 'shop',
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${name}`,
      resourceVersion: '1001',
      labels: { app: name, tier: 'backend' },
      annotations: {
        'meta.helm.sh/release-name': 'shop',
        'meta.helm.sh/release-namespace': ns,
      },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'api',
              image,
              resources: { requests: { cpu: '250m', memory: '256Mi' } },
              env: [{ name: 'LOG_LEVEL' }],
            },
          ],
        },
      },
    },
  };
}

export function namespace(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `uid-ns-${name}` },
  };
}

export function node(name: string, instanceType = 'm5.large') {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'node.kubernetes.io/instance-type': instanceType,
        'topology.kubernetes.io/region': 'eu-west-1',
        'topology.kubernetes.io/zone': 'eu-west-1a',
      },
    },
    status: { capacity: { cpu: '2', memory: '8005572Ki', pods: '29' } },
  };
}
