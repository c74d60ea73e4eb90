import {
  SECRET_LOOKING_VALUE,
  productionDeployment,
  productionService,
  stagingDeployment,
  stagingService,
} from './__fixtures__/checkout';
import {
  REDACTED,
  normalizeObject,
  normalizeObjects,
  parseJsonPointer,
} from './normalize';
import { K8sObject, jsonEqual } from './objects';

const toProd = { namespace: 'shop-prod' };

describe('normalizeObject', () => {
  it('strips status, server metadata and tooling annotations', () => {
    const result = normalizeObject(productionDeployment(), toProd);
    expect(result.status).toBeUndefined();
    expect(Object.keys(result.metadata).sort()).toEqual([
      'labels',
      'name',
      'namespace',
    ]);
  });

  it('makes a cluster object and its Git source equal when only defaults differ', () => {
    const live = normalizeObject(productionService(), toProd);
    const git = normalizeObject(stagingService(), toProd);
    expect(live).toEqual(git);
  });

  it('drops API-server defaults of Deployments, pod specs, containers and probes', () => {
    const spec = normalizeObject(productionDeployment(), toProd).spec as any;
    expect(spec.revisionHistoryLimit).toBeUndefined();
    expect(spec.progressDeadlineSeconds).toBeUndefined();
    expect(spec.strategy).toBeUndefined();
    const podSpec = spec.template.spec;
    expect(podSpec.dnsPolicy).toBeUndefined();
    expect(podSpec.restartPolicy).toBeUndefined();
    expect(podSpec.schedulerName).toBeUndefined();
    expect(podSpec.terminationGracePeriodSeconds).toBeUndefined();
    expect(podSpec.serviceAccount).toBeUndefined();
    expect(podSpec.serviceAccountName).toBe('checkout');
    expect(podSpec.volumes[0].configMap).toEqual({ name: 'checkout-config' });
    const api = podSpec.containers[0];
    expect(api.terminationMessagePath).toBeUndefined();
    expect(api.terminationMessagePolicy).toBeUndefined();
    expect(api.imagePullPolicy).toBeUndefined();
    expect(api.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(api.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'http' },
    });
    expect(spec.template.metadata.annotations).toBeUndefined();
  });

  it('keeps values that differ from the defaults', () => {
    const deployment = productionDeployment() as any;
    deployment.spec.revisionHistoryLimit = 3;
    deployment.spec.strategy = {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
    };
    deployment.spec.template.spec.containers[0].imagePullPolicy = 'Always';
    const spec = normalizeObject(deployment).spec as any;
    expect(spec.revisionHistoryLimit).toBe(3);
    expect(spec.strategy).toEqual({ rollingUpdate: { maxSurge: 1 } });
    expect(spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('derives the imagePullPolicy default from the tag', () => {
    const withPolicy = (image: string, imagePullPolicy: string) =>
      (
        normalizeObject({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          spec: { containers: [{ name: 'c', image, imagePullPolicy }] },
        }).spec as any
      ).containers[0].imagePullPolicy;
    expect(withPolicy('nginx', 'Always')).toBeUndefined();
    expect(withPolicy('nginx:latest', 'Always')).toBeUndefined();
    expect(withPolicy('nginx:1.27', 'IfNotPresent')).toBeUndefined();
    expect(withPolicy('nginx@sha256:abc', 'IfNotPresent')).toBeUndefined();
    expect(withPolicy('nginx:1.27', 'Always')).toBe('Always');
    expect(withPolicy('nginx', 'IfNotPresent')).toBe('IfNotPresent');
  });

  it('keeps meaningful empties and a headless clusterIP', () => {
    const pod = normalizeObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: {} },
      spec: {
        volumes: [{ name: 'tmp', emptyDir: {} }],
        containers: [{ name: 'c', image: 'a:1', env: [] }],
      },
    });
    expect(pod.metadata.annotations).toBeUndefined();
    expect((pod.spec as any).volumes).toEqual([{ emptyDir: {}, name: 'tmp' }]);
    expect((pod.spec as any).containers[0].env).toBeUndefined();
    const headless = productionService() as any;
    headless.spec.clusterIP = 'None';
    headless.spec.clusterIPs = ['None'];
    expect((normalizeObject(headless).spec as any).clusterIP).toBe('None');
  });

  it('maps the namespace, and Helm release-namespace with it', () => {
    const source = stagingDeployment();
    source.metadata.annotations = {
      'meta.helm.sh/release-name': 'checkout',
      'meta.helm.sh/release-namespace': 'shop-staging',
    };
    const result = normalizeObject(source, toProd);
    expect(result.metadata.namespace).toBe('shop-prod');
    expect(result.metadata.annotations).toEqual({
      'meta.helm.sh/release-name': 'checkout',
      'meta.helm.sh/release-namespace': 'shop-prod',
    });
  });

  it('leaves cluster-scoped objects without a namespace', () => {
    const storageClass = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3' },
    };
    expect(
      normalizeObject(storageClass, toProd).metadata.namespace,
    ).toBeUndefined();
  });

  it('redacts env values and Secret data but keeps names and references', () => {
    const secret: K8sObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'checkout-db', namespace: 'shop-prod' },
      type: 'Opaque',
      data: { password: 'c2VjcmV0' },
      stringData: { token: SECRET_LOOKING_VALUE },
    };
    expect(normalizeObject(secret)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'checkout-db', namespace: 'shop-prod' },
      data: { password: REDACTED },
      stringData: { token: REDACTED },
    });
    const env = (normalizeObject(productionDeployment()).spec as any).template
      .spec.containers[0].env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: REDACTED },
      { name: 'PAYMENT_API_KEY', value: REDACTED },
      {
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { key: 'password', name: 'checkout-db' } },
      },
    ]);
    expect(
      JSON.stringify(normalizeObject(productionDeployment())),
    ).not.toContain(SECRET_LOOKING_VALUE);
  });

  it('keeps defaults on request, but never tooling annotations or env values', () => {
    const deployment = productionDeployment() as any;
    deployment.spec.template.spec.initContainers = [
      {
        name: 'migrate',
        image: 'migrate:1',
        env: [{ name: 'TOKEN', value: SECRET_LOOKING_VALUE }],
      },
    ];
    const result = normalizeObject(deployment, { keepDefaults: true }) as any;
    expect(result.spec.revisionHistoryLimit).toBe(10);
    expect(result.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(result.spec.template.metadata.annotations).toBeUndefined();
    expect(result.metadata.annotations).toBeUndefined();
    expect(result.spec.template.spec.initContainers[0].env[0].value).toBe(
      REDACTED,
    );
    expect(JSON.stringify(result)).not.toContain(SECRET_LOOKING_VALUE);
  });

  it('drops fields named by ignore rules, for a kind or for all kinds', () => {
    const result = normalizeObject(productionDeployment(), {
      ignore: [
        {
          kind: 'Deployment',
          paths: ['/spec/replicas', '/spec/template/spec/containers/*/image'],
        },
        { kind: '*', paths: ['/metadata/labels/app.kubernetes.io~1part-of'] },
        { kind: 'Service', paths: ['/spec/selector'] },
      ],
    }) as any;
    expect(result.spec.replicas).toBeUndefined();
    expect(result.spec.template.spec.containers[0].image).toBeUndefined();
    expect(result.spec.template.spec.containers[0].name).toBe('api');
    expect(result.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'checkout',
    });
    expect(result.spec.selector).toBeDefined();
  });

  it('removes array items by index through ignore rules', () => {
    const result = normalizeObject(productionDeployment(), {
      ignore: [
        { kind: 'Deployment', paths: ['/spec/template/spec/volumes/0'] },
      ],
    }) as any;
    expect(result.spec.template.spec.volumes.map((v: any) => v.name)).toEqual([
      'cache',
    ]);
  });

  it('does not modify its input and sorts keys', () => {
    const input = productionDeployment();
    const copy = JSON.parse(JSON.stringify(input));
    const result = normalizeObject(input);
    expect(input).toEqual(copy);
    expect(Object.keys(result)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
  });

  it('strips StatefulSet claim template and Service allocation defaults', () => {
    const statefulSet = normalizeObject({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { partition: 0 },
        },
        persistentVolumeClaimRetentionPolicy: {
          whenDeleted: 'Retain',
          whenScaled: 'Retain',
        },
        volumeClaimTemplates: [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'data', creationTimestamp: null },
            spec: {
              volumeMode: 'Filesystem',
              resources: { requests: { storage: '5Gi' } },
            },
            status: { phase: 'Pending' },
          },
        ],
      },
    });
    expect(statefulSet.spec).toEqual({
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { resources: { requests: { storage: '5Gi' } } },
        },
      ],
    });
    const nodePort = productionService() as any;
    nodePort.spec.type = 'NodePort';
    nodePort.spec.ports[0].nodePort = 31234;
    nodePort.spec.externalTrafficPolicy = 'Cluster';
    expect(
      (normalizeObject(nodePort).spec as any).ports[0].nodePort,
    ).toBeUndefined();
    expect((normalizeObject(nodePort).spec as any).type).toBe('NodePort');
  });

  it('rejects ignore paths that are not JSON pointers', () => {
    expect(() => parseJsonPointer('spec/replicas')).toThrow(/JSON pointer/);
    expect(parseJsonPointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });
});

describe('normalizeObjects', () => {
  it('sorts by kind order then name, whatever the input order', () => {
    const objects = [productionDeployment(), productionService()];
    const sorted = normalizeObjects(objects);
    expect(sorted.map(o => o.kind)).toEqual(['Service', 'Deployment']);
    expect(jsonEqual(normalizeObjects([...objects].reverse()), sorted)).toBe(
      true,
    );
  });
});
