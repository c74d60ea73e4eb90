import {
  container,
  deployment,
  hpa,
  ingress,
  metricsFor,
  node,
  pdb,
  pvc,
  quota,
  runRule,
  service,
} from '../__fixtures__/builders';
import { JsonRecord, K8sObject } from '../objects';
import { RISK_RULES } from '.';

const web = (options: Parameters<typeof deployment>[1] = {}) =>
  deployment('web', options);
const withContainer = (
  overrides: JsonRecord,
  options: Parameters<typeof deployment>[1] = {},
) =>
  web({ replicas: 2, ...options, containers: [container('app', overrides)] });
const secure = (securityContext: JsonRecord) =>
  withContainer({ securityContext });

describe('rule registry', () => {
  it('has at least 20 rules with unique ids, each tested below', () => {
    const ids = RISK_RULES.map(rule => rule.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('replicas-reduced', () => {
  it('flags fewer replicas', () => {
    const [finding] = runRule('replicas-reduced', {
      before: [web({ replicas: 4 })],
      after: [web({ replicas: 2 })],
    });
    expect(finding).toMatchObject({
      ruleId: 'replicas-reduced',
      severity: 'medium',
      object: 'Deployment/web',
      path: 'spec.replicas',
    });
  });
  it('ignores more replicas, and workloads an HPA manages', () => {
    expect(
      runRule('replicas-reduced', {
        before: [web({ replicas: 2 })],
        after: [web({ replicas: 4 })],
      }),
    ).toEqual([]);
    expect(
      runRule('replicas-reduced', {
        before: [web({ replicas: 4 })],
        after: [web({ replicas: 2 }), hpa('web')],
      }),
    ).toEqual([]);
  });
});

describe('single-replica', () => {
  it('flags a drop to one replica as high', () => {
    const findings = runRule('single-replica', {
      before: [web({ replicas: 3 })],
      after: [web({ replicas: 1 })],
    });
    expect(findings).toMatchObject([
      { severity: 'high', message: expect.stringContaining('3 replicas to 1') },
    ]);
  });
  it('treats an absent replicas field as 1', () => {
    expect(
      runRule('single-replica', {
        before: [web({ replicas: 3 })],
        after: [web()],
      }),
    ).toHaveLength(1);
  });
  it('ignores workloads that already ran one replica', () => {
    expect(
      runRule('single-replica', {
        before: [web({ replicas: 1 })],
        after: [web({ replicas: 1 })],
      }),
    ).toEqual([]);
  });
});

describe('pdb-removed', () => {
  it('flags a budget that the source lacks', () => {
    expect(
      runRule('pdb-removed', { before: [web(), pdb()], after: [web()] }),
    ).toMatchObject([
      { object: 'PodDisruptionBudget/web', severity: 'medium' },
    ]);
  });
  it('is silent when the budget stays', () => {
    expect(
      runRule('pdb-removed', { before: [web(), pdb()], after: [web(), pdb()] }),
    ).toEqual([]);
  });
});

describe('pdb-unsatisfiable', () => {
  it('flags minAvailable >= replicas', () => {
    const findings = runRule('pdb-unsatisfiable', {
      before: [web({ replicas: 3 }), pdb('web', { minAvailable: 2 })],
      after: [web({ replicas: 2 }), pdb('web', { minAvailable: 2 })],
    });
    expect(findings).toMatchObject([
      {
        severity: 'high',
        path: 'spec.minAvailable',
        object: 'PodDisruptionBudget/web',
      },
    ]);
  });
  it('flags maxUnavailable 0 and 100% minAvailable', () => {
    expect(
      runRule('pdb-unsatisfiable', {
        before: [],
        after: [web({ replicas: 3 }), pdb('web', { maxUnavailable: 0 })],
      }),
    ).toHaveLength(1);
    expect(
      runRule('pdb-unsatisfiable', {
        before: [],
        after: [web({ replicas: 3 }), pdb('web', { minAvailable: '100%' })],
      }),
    ).toHaveLength(1);
  });
  it('is silent when evictions stay possible, or were already blocked', () => {
    expect(
      runRule('pdb-unsatisfiable', {
        before: [],
        after: [web({ replicas: 3 }), pdb('web', { minAvailable: 2 })],
      }),
    ).toEqual([]);
    const blocked = [web({ replicas: 2 }), pdb('web', { minAvailable: 2 })];
    expect(
      runRule('pdb-unsatisfiable', { before: blocked, after: blocked }),
    ).toEqual([]);
  });
});

describe('readiness-probe-removed / liveness-probe-removed', () => {
  const probe = { httpGet: { path: '/ready', port: 8080 } };
  it('flags a removed readiness probe as high', () => {
    expect(
      runRule('readiness-probe-removed', {
        before: [withContainer({ readinessProbe: probe })],
        after: [withContainer({})],
      }),
    ).toMatchObject([
      {
        severity: 'high',
        path: 'spec.template.spec.containers[name=app].readinessProbe',
      },
    ]);
  });
  it('flags a removed liveness probe as medium', () => {
    expect(
      runRule('liveness-probe-removed', {
        before: [withContainer({ livenessProbe: probe })],
        after: [withContainer({})],
      }),
    ).toMatchObject([
      {
        severity: 'medium',
        path: 'spec.template.spec.containers[name=app].livenessProbe',
      },
    ]);
  });
  it('is silent when probes stay or were never there', () => {
    expect(
      runRule('readiness-probe-removed', {
        before: [withContainer({ readinessProbe: probe })],
        after: [withContainer({ readinessProbe: probe })],
      }),
    ).toEqual([]);
    expect(
      runRule('liveness-probe-removed', {
        before: [withContainer({})],
        after: [withContainer({})],
      }),
    ).toEqual([]);
  });
});

describe('recreate-strategy', () => {
  it('flags a switch to Recreate', () => {
    expect(
      runRule('recreate-strategy', {
        before: [web()],
        after: [web({ spec: { strategy: { type: 'Recreate' } } })],
      }),
    ).toHaveLength(1);
  });
  it('is silent for RollingUpdate and for Recreate kept as is', () => {
    const recreate = web({ spec: { strategy: { type: 'Recreate' } } });
    expect(
      runRule('recreate-strategy', { before: [web()], after: [web()] }),
    ).toEqual([]);
    expect(
      runRule('recreate-strategy', { before: [recreate], after: [recreate] }),
    ).toEqual([]);
  });
});

describe('hpa-max-below-replicas', () => {
  it('flags a maxReplicas below what runs now', () => {
    expect(
      runRule('hpa-max-below-replicas', {
        before: [web({ replicas: 6 }), hpa('web', 2, 8)],
        after: [web(), hpa('web', 2, 4)],
      }),
    ).toMatchObject([
      {
        path: 'spec.maxReplicas',
        message: expect.stringContaining('at 4 replicas while 6 run now'),
      },
    ]);
  });
  it('is silent when max covers the current count', () => {
    expect(
      runRule('hpa-max-below-replicas', {
        before: [web({ replicas: 3 })],
        after: [web(), hpa('web', 2, 4)],
      }),
    ).toEqual([]);
  });
});

describe('requests-removed', () => {
  it('flags a container losing its requests', () => {
    const findings = runRule('requests-removed', {
      before: [withContainer({})],
      after: [withContainer({ resources: {} })],
    });
    expect(findings.map(f => f.path)).toEqual([
      'spec.template.spec.containers[name=app].resources.requests.cpu',
      'spec.template.spec.containers[name=app].resources.requests.memory',
    ]);
  });
  it('is silent when a limit still implies the request', () => {
    const limitOnly = withContainer({
      resources: { limits: { cpu: '1', memory: '1Gi' } },
    });
    expect(
      runRule('requests-removed', {
        before: [withContainer({})],
        after: [limitOnly],
      }),
    ).toEqual([]);
  });
});

describe('limits-removed', () => {
  it('flags a removed memory limit as medium', () => {
    expect(
      runRule('limits-removed', {
        before: [withContainer({})],
        after: [
          withContainer({
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          }),
        ],
      }),
    ).toMatchObject([
      {
        severity: 'medium',
        path: 'spec.template.spec.containers[name=app].resources.limits.memory',
      },
    ]);
  });
  it('is silent when limits stay', () => {
    expect(
      runRule('limits-removed', {
        before: [withContainer({})],
        after: [withContainer({})],
      }),
    ).toEqual([]);
  });
});

describe('memory-limit-below-usage', () => {
  const metrics = [
    metricsFor(
      'web-6c9d8f7b5-q2w3e',
      [{ name: 'app', cpu: '50m', memory: '300Mi' }],
      { app: 'web' },
    ),
  ];
  const limit = (memory: string) =>
    withContainer({
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { memory },
      },
    });
  it('flags a limit below the observed peak', () => {
    expect(
      runRule('memory-limit-below-usage', {
        before: [limit('512Mi')],
        after: [limit('256Mi')],
        context: { podMetrics: metrics },
      }),
    ).toMatchObject([
      {
        severity: 'high',
        message: expect.stringContaining('256 MiB, below the 300 MiB'),
      },
    ]);
  });
  it('is silent when the limit covers usage, or without metrics', () => {
    expect(
      runRule('memory-limit-below-usage', {
        before: [limit('512Mi')],
        after: [limit('384Mi')],
        context: { podMetrics: metrics },
      }),
    ).toEqual([]);
    expect(
      runRule('memory-limit-below-usage', {
        before: [limit('512Mi')],
        after: [limit('256Mi')],
      }),
    ).toEqual([]);
  });
});

describe('quota-exceeded', () => {
  const sized = (cpu: string, replicas: number) =>
    withContainer(
      { resources: { requests: { cpu, memory: '128Mi' } } },
      { replicas },
    );
  const teamQuota = quota(
    { 'requests.cpu': '4', pods: '20' },
    { 'requests.cpu': '3600m', pods: '10' },
  );
  it('flags requests beyond the quota headroom', () => {
    const findings = runRule('quota-exceeded', {
      before: [sized('250m', 2)],
      after: [sized('500m', 2)],
      context: { resourceQuotas: [teamQuota] },
    });
    expect(findings).toMatchObject([
      { object: 'ResourceQuota/team-quota', path: 'spec.hard["requests.cpu"]' },
    ]);
    expect(findings[0].message).toContain(
      'needs 500m more requests.cpu, but ResourceQuota/team-quota has 400m left (hard 4 cores, used 3.6 cores)',
    );
  });
  it('is silent within the headroom', () => {
    expect(
      runRule('quota-exceeded', {
        before: [sized('250m', 2)],
        after: [sized('450m', 2)],
        context: { resourceQuotas: [teamQuota] },
      }),
    ).toEqual([]);
  });
});

describe('insufficient-capacity', () => {
  const small = [
    node('n1', { cpu: '2', memory: '4Gi' }),
    node('n2', { cpu: '2', memory: '4Gi' }),
  ];
  const sized = (cpu: string, replicas: number) =>
    withContainer(
      { resources: { requests: { cpu, memory: '1Gi' } } },
      { replicas },
    );
  it('flags a nodeSelector no node matches', () => {
    const pinned = web({
      replicas: 1,
      podSpec: { nodeSelector: { pool: 'gpu' } },
    });
    expect(
      runRule('insufficient-capacity', {
        before: [],
        after: [pinned],
        context: { nodes: small },
      }),
    ).toMatchObject([
      { severity: 'critical', path: 'spec.template.spec.nodeSelector' },
    ]);
  });
  it('flags a pod larger than any node as critical', () => {
    expect(
      runRule('insufficient-capacity', {
        before: [],
        after: [sized('3', 1)],
        context: { nodes: small },
      }),
    ).toMatchObject([{ severity: 'critical', object: 'Deployment/web' }]);
  });
  it('flags added requests beyond free capacity', () => {
    const running = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'other' },
      spec: {
        nodeName: 'n1',
        containers: [
          container('x', {
            resources: { requests: { cpu: '3500m', memory: '1Gi' } },
          }),
        ],
      },
    } as K8sObject;
    expect(
      runRule('insufficient-capacity', {
        before: [sized('500m', 1)],
        after: [sized('500m', 3)],
        context: { nodes: small, pods: [running] },
      }),
    ).toMatchObject([
      {
        severity: 'high',
        message: expect.stringContaining('1 core CPU (500m free)'),
      },
    ]);
  });
  it('is silent when everything fits, or without nodes', () => {
    expect(
      runRule('insufficient-capacity', {
        before: [sized('500m', 1)],
        after: [sized('500m', 2)],
        context: { nodes: small },
      }),
    ).toEqual([]);
    expect(
      runRule('insufficient-capacity', { before: [], after: [sized('30', 1)] }),
    ).toEqual([]);
  });
});

describe('image-latest-tag', () => {
  it('flags a newly floating tag', () => {
    expect(
      runRule('image-latest-tag', {
        before: [withContainer({})],
        after: [
          withContainer({ image: 'registry.example.com/team/app:latest' }),
        ],
      }),
    ).toMatchObject([
      { path: 'spec.template.spec.containers[name=app].image' },
    ]);
    expect(
      runRule('image-latest-tag', {
        before: [],
        after: [withContainer({ image: 'nginx' })],
      }),
    ).toHaveLength(1);
  });
  it('is silent for pinned tags', () => {
    expect(
      runRule('image-latest-tag', {
        before: [withContainer({})],
        after: [
          withContainer({ image: 'registry.example.com/team/app:1.5.0' }),
        ],
      }),
    ).toEqual([]);
  });
});

describe('image-digest-dropped', () => {
  const pinned =
    'registry.example.com/team/app:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
  it('flags a dropped digest', () => {
    expect(
      runRule('image-digest-dropped', {
        before: [withContainer({ image: pinned })],
        after: [
          withContainer({ image: 'registry.example.com/team/app:1.4.3' }),
        ],
      }),
    ).toHaveLength(1);
  });
  it('is silent when the digest stays', () => {
    expect(
      runRule('image-digest-dropped', {
        before: [withContainer({ image: pinned })],
        after: [withContainer({ image: pinned })],
      }),
    ).toEqual([]);
  });
});

describe('image-registry-changed', () => {
  it('flags a different registry', () => {
    expect(
      runRule('image-registry-changed', {
        before: [withContainer({})],
        after: [withContainer({ image: 'ghcr.io/someone/app:1.4.2' })],
      }),
    ).toMatchObject([
      {
        message: expect.stringContaining(
          'pulls from ghcr.io instead of registry.example.com',
        ),
      },
    ]);
  });
  it('is silent for a new tag in the same registry', () => {
    expect(
      runRule('image-registry-changed', {
        before: [withContainer({})],
        after: [
          withContainer({ image: 'registry.example.com/team/app:2.0.0' }),
        ],
      }),
    ).toEqual([]);
  });
});

describe('privileged-container', () => {
  it('flags privileged as critical', () => {
    expect(
      runRule('privileged-container', {
        before: [withContainer({})],
        after: [secure({ privileged: true })],
      }),
    ).toMatchObject([{ severity: 'critical' }]);
  });
  it('is silent when it was already privileged or is not', () => {
    expect(
      runRule('privileged-container', {
        before: [secure({ privileged: true })],
        after: [secure({ privileged: true })],
      }),
    ).toEqual([]);
    expect(
      runRule('privileged-container', {
        before: [],
        after: [secure({ privileged: false })],
      }),
    ).toEqual([]);
  });
});

describe('host-namespaces', () => {
  it('flags hostNetwork and hostPID', () => {
    const findings = runRule('host-namespaces', {
      before: [web()],
      after: [web({ podSpec: { hostNetwork: true, hostPID: true } })],
    });
    expect(findings.map(f => f.path)).toEqual([
      'spec.template.spec.hostNetwork',
      'spec.template.spec.hostPID',
    ]);
  });
  it('is silent when unchanged', () => {
    expect(
      runRule('host-namespaces', {
        before: [web()],
        after: [web({ podSpec: { hostNetwork: false } })],
      }),
    ).toEqual([]);
  });
});

describe('capabilities-added', () => {
  const caps = (add: string[]) => secure({ capabilities: { add } });
  it('flags dangerous capabilities as high and others as medium', () => {
    expect(
      runRule('capabilities-added', {
        before: [withContainer({})],
        after: [caps(['NET_ADMIN'])],
      }),
    ).toMatchObject([{ severity: 'high' }]);
    expect(
      runRule('capabilities-added', {
        before: [withContainer({})],
        after: [caps(['NET_BIND_SERVICE'])],
      }),
    ).toMatchObject([{ severity: 'medium' }]);
  });
  it('is silent for capabilities already granted', () => {
    expect(
      runRule('capabilities-added', {
        before: [caps(['NET_BIND_SERVICE'])],
        after: [caps(['NET_BIND_SERVICE'])],
      }),
    ).toEqual([]);
  });
});

describe('run-as-non-root-removed', () => {
  it('flags runAsNonRoot dropped from the pod', () => {
    expect(
      runRule('run-as-non-root-removed', {
        before: [web({ podSpec: { securityContext: { runAsNonRoot: true } } })],
        after: [web()],
      }),
    ).toHaveLength(1);
  });
  it('is silent when a container still sets it', () => {
    expect(
      runRule('run-as-non-root-removed', {
        before: [web({ podSpec: { securityContext: { runAsNonRoot: true } } })],
        after: [secure({ runAsNonRoot: true })],
      }),
    ).toEqual([]);
  });
});

describe('privilege-escalation-allowed', () => {
  it('flags allowPrivilegeEscalation false dropped', () => {
    expect(
      runRule('privilege-escalation-allowed', {
        before: [secure({ allowPrivilegeEscalation: false })],
        after: [withContainer({})],
      }),
    ).toHaveLength(1);
  });
  it('is silent when kept', () => {
    expect(
      runRule('privilege-escalation-allowed', {
        before: [secure({ allowPrivilegeEscalation: false })],
        after: [secure({ allowPrivilegeEscalation: false })],
      }),
    ).toEqual([]);
  });
});

describe('service-exposed', () => {
  it('flags ClusterIP -> LoadBalancer as high and -> NodePort as medium', () => {
    expect(
      runRule('service-exposed', {
        before: [service()],
        after: [service('web', 'LoadBalancer')],
      }),
    ).toMatchObject([{ severity: 'high', path: 'spec.type' }]);
    expect(
      runRule('service-exposed', {
        before: [service()],
        after: [service('web', 'NodePort')],
      }),
    ).toMatchObject([{ severity: 'medium' }]);
  });
  it('is silent for ClusterIP and for an unchanged LoadBalancer', () => {
    expect(
      runRule('service-exposed', { before: [service()], after: [service()] }),
    ).toEqual([]);
    expect(
      runRule('service-exposed', {
        before: [service('web', 'LoadBalancer')],
        after: [service('web', 'LoadBalancer')],
      }),
    ).toEqual([]);
  });
});

describe('ingress-host-changed', () => {
  it('flags a host change (e.g. a staging host promoted to production)', () => {
    expect(
      runRule('ingress-host-changed', {
        before: [ingress('web', ['web.example.com'])],
        after: [ingress('web', ['web.staging.example.com'])],
      }),
    ).toMatchObject([
      {
        message: expect.stringContaining(
          'stops serving web.example.com and starts serving web.staging.example.com',
        ),
      },
    ]);
  });
  it('is silent when hosts stay', () => {
    expect(
      runRule('ingress-host-changed', {
        before: [ingress()],
        after: [ingress()],
      }),
    ).toEqual([]);
  });
});

describe('ingress-tls-changed', () => {
  it('flags TLS removal as high', () => {
    expect(
      runRule('ingress-tls-changed', {
        before: [ingress()],
        after: [ingress('web', ['web.example.com'], false)],
      }),
    ).toMatchObject([{ severity: 'high' }]);
  });
  it('flags changed TLS hosts as medium and is silent when unchanged', () => {
    expect(
      runRule('ingress-tls-changed', {
        before: [ingress('web', ['a.example.com'])],
        after: [ingress('web', ['b.example.com'])],
      }),
    ).toMatchObject([{ severity: 'medium' }]);
    expect(
      runRule('ingress-tls-changed', {
        before: [ingress()],
        after: [ingress()],
      }),
    ).toEqual([]);
  });
});

describe('env-var-removed', () => {
  it('flags removed variables by name', () => {
    expect(
      runRule('env-var-removed', {
        before: [
          withContainer({
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          }),
        ],
        after: [withContainer({ env: [{ name: 'A', value: '1' }] })],
      }),
    ).toMatchObject([
      { message: expect.stringContaining('environment variable B') },
    ]);
  });
  it('is silent when variables only change value', () => {
    expect(
      runRule('env-var-removed', {
        before: [withContainer({ env: [{ name: 'A', value: '1' }] })],
        after: [withContainer({ env: [{ name: 'A', value: '2' }] })],
      }),
    ).toEqual([]);
  });
});

describe('missing-reference', () => {
  const usesConfig = withContainer({
    envFrom: [{ configMapRef: { name: 'web-config' } }],
  });
  it('flags a ConfigMap neither the target nor the promotion has', () => {
    expect(
      runRule('missing-reference', { before: [], after: [usesConfig] }),
    ).toMatchObject([
      {
        path: 'spec.template.spec.containers[name=app].envFrom[0].configMapRef.name',
      },
    ]);
  });
  it('is silent when the promotion or the namespace provides it', () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
    } as K8sObject;
    expect(
      runRule('missing-reference', { before: [], after: [usesConfig, config] }),
    ).toEqual([]);
    expect(
      runRule('missing-reference', {
        before: [],
        after: [usesConfig],
        context: { namespaceObjects: [config] },
      }),
    ).toEqual([]);
  });
  it('checks Secrets, ServiceAccounts and claims only against what is known', () => {
    const usesAll = web({
      podSpec: {
        serviceAccountName: 'web',
        volumes: [
          { name: 'creds', secret: { secretName: 'web-creds' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
        ],
      },
    });
    expect(
      runRule('missing-reference', { before: [], after: [usesAll] }).map(
        f => f.message.split(' refers to ')[1].split(',')[0],
      ),
    ).toEqual(['ServiceAccount web', 'PersistentVolumeClaim web-data']);
    expect(
      runRule('missing-reference', {
        before: [],
        after: [usesAll],
        context: { secretNames: [] },
      }),
    ).toHaveLength(3);
  });
  it('skips optional references', () => {
    expect(
      runRule('missing-reference', {
        before: [],
        after: [
          withContainer({
            envFrom: [{ configMapRef: { name: 'x', optional: true } }],
          }),
        ],
      }),
    ).toEqual([]);
  });
});

describe('pvc-shrink', () => {
  it('flags a smaller claim', () => {
    expect(
      runRule('pvc-shrink', {
        before: [pvc('data', '20Gi')],
        after: [pvc('data', '10Gi')],
      }),
    ).toMatchObject([
      { path: 'spec.resources.requests.storage', severity: 'high' },
    ]);
  });
  it('flags a smaller StatefulSet claim template', () => {
    const sts = (storage: string) =>
      deployment('db', {
        kind: 'StatefulSet',
        spec: {
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { resources: { requests: { storage } } },
            },
          ],
        },
      });
    expect(
      runRule('pvc-shrink', { before: [sts('20Gi')], after: [sts('10Gi')] }),
    ).toMatchObject([
      {
        path: 'spec.volumeClaimTemplates[name=data].spec.resources.requests.storage',
      },
    ]);
  });
  it('is silent when the claim grows', () => {
    expect(
      runRule('pvc-shrink', {
        before: [pvc('data', '10Gi')],
        after: [pvc('data', '20Gi')],
      }),
    ).toEqual([]);
  });
});

describe('storage-class-changed', () => {
  it('flags a new storage class', () => {
    expect(
      runRule('storage-class-changed', {
        before: [pvc('data', '10Gi', 'gp2')],
        after: [pvc('data', '10Gi', 'gp3')],
      }),
    ).toMatchObject([
      {
        path: 'spec.storageClassName',
        message: expect.stringContaining('from gp2 to gp3'),
      },
    ]);
  });
  it('is silent when the class stays', () => {
    expect(
      runRule('storage-class-changed', {
        before: [pvc('data', '10Gi', 'gp3')],
        after: [pvc('data', '20Gi', 'gp3')],
      }),
    ).toEqual([]);
  });
});

describe('deprecated-api', () => {
  it('flags removed apiVersions', () => {
    const oldPdb = { ...pdb(), apiVersion: 'policy/v1beta1' };
    const oldHpa = { ...hpa(), apiVersion: 'autoscaling/v2beta2' };
    expect(
      runRule('deprecated-api', { before: [], after: [oldPdb, oldHpa] }).map(
        f => f.fix,
      ),
    ).toEqual(['Migrate to autoscaling/v2.', 'Migrate to policy/v1.']);
    expect(
      runRule('deprecated-api', {
        before: [],
        after: [web({ apiVersion: 'extensions/v1beta1' })],
      }),
    ).toHaveLength(1);
  });
  it('is silent for current apiVersions', () => {
    expect(
      runRule('deprecated-api', { before: [], after: [web(), pdb(), hpa()] }),
    ).toEqual([]);
  });
});

describe('cost-guardrail', () => {
  const sized = (cpu: string, replicas: number) =>
    withContainer(
      { resources: { requests: { cpu, memory: '1Gi' } } },
      { replicas },
    );
  it('flags an increase above both guardrails as high', () => {
    // Default rates: 10 x 1 core x 0.031611 x 730 = $230.76 more a month.
    const findings = runRule('cost-guardrail', {
      before: [sized('1', 2)],
      after: [sized('1', 12)],
      withCost: true,
    });
    expect(findings).toMatchObject([
      { severity: 'high', object: 'Deployment/web' },
    ]);
    expect(findings[0].message).toContain('guardrails are $100.00 and 20%');
  });
  it('uses configured guardrails, and is silent below them', () => {
    const scenario = {
      before: [sized('1', 2)],
      after: [sized('1', 3)],
      withCost: true,
    };
    expect(runRule('cost-guardrail', scenario)).toMatchObject([
      { severity: 'medium' },
    ]);
    expect(
      runRule('cost-guardrail', {
        ...scenario,
        config: { costGuardrail: { monthlyDelta: 1000, percentDelta: 60 } },
      }),
    ).toEqual([]);
  });
});

describe('target-drift', () => {
  it('flags objects only the target has', () => {
    expect(
      runRule('target-drift', {
        before: [web(), service('legacy')],
        after: [web()],
      }),
    ).toMatchObject([{ object: 'Service/legacy', severity: 'low' }]);
  });
  it('is silent when the sides hold the same objects', () => {
    expect(
      runRule('target-drift', {
        before: [web()],
        after: [web({ replicas: 3 })],
      }),
    ).toEqual([]);
  });
});
